import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import request from 'supertest';
import { DEMO_LOADERS } from '../../src/domains.js';
import { loadDemoDataIfEmpty } from '../../src/platform/demo.js';
import { OCDS_PAGE_SIZE, yuanFromFen } from '../../src/transparency/ocds.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/ocds/${name}`, import.meta.url), 'utf8'));

function packageValidator() {
  const ajv = new Ajv({ schemaId: 'id', allErrors: true, logger: false });
  ajv.addMetaSchema(JSON.parse(readFileSync(new URL('../../node_modules/ajv/lib/refs/json-schema-draft-04.json', import.meta.url), 'utf8')));
  ajv.addSchema(fixture('release-schema.json'));
  const validate = ajv.compile(fixture('release-package-schema.json'));
  return (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.dataPath} ${error.message}`));
}

interface Release {
  ocid: string;
  id: string;
  date: string;
  tag: string[];
  tender: { status: string; value: { amount: number; currency: string }; procurementMethod: string };
  awards?: { status: string; value?: { amount: number }; suppliers: { id: string }[] }[];
  parties: { id: string; roles: string[] }[];
}

describe('OCDS release packages of the demo data', () => {
  let platform: TestPlatform;
  const releases: Release[] = [];
  const packages: Record<string, unknown>[] = [];
  beforeAll(async () => {
    platform = await createTestPlatform();
    // the demo data exactly as a first start loads it
    const loaded = await loadDemoDataIfEmpty(platform, DEMO_LOADERS);
    expect(loaded.loaded).toBe(true);
    let next: string | undefined = '/api/v1/ocds/releases';
    while (next) {
      const response: request.Response = await request(platform.app).get(next.replace(/^https?:\/\/[^/]+/, '')).expect(200);
      packages.push(response.body);
      releases.push(...response.body.releases);
      next = response.body.links?.next;
    }
  }, 300_000);
  afterAll(() => platform.close());

  it('validates every package, and so every release, against the official OCDS 1.1 schema', () => {
    const validate = packageValidator();
    expect(releases.length).toBeGreaterThan(10);
    for (const item of packages) {
      expect(validate(item)).toEqual([]);
      expect(item).toMatchObject({ version: '1.1', license: expect.stringMatching(/^https:/), publicationPolicy: expect.stringMatching(/\/ocds$/), publisher: { name: '中介服务超市' } });
    }
  });

  it('the validator refuses a broken release (it is really checking)', () => {
    const validate = packageValidator();
    const broken = { ...packages[0], releases: [{ ...releases[0], tag: [], tender: { ...releases[0]!.tender, value: { amount: '1.00', currency: 'RMB' } } }] };
    expect(validate(broken).length).toBeGreaterThanOrEqual(3);
  });

  it('publishes one release per change of every published demo project, with the right tags and exact yuan amounts', async () => {
    const projects = (await request(platform.app).get('/api/v1/projects?pageSize=100').expect(200)).body.items as { id: number; status: string; budgetFen: number; method: string }[];
    expect(projects.length).toBeGreaterThan(3);
    const ids = new Set(releases.map((release) => release.id));
    expect(ids.size).toBe(releases.length);
    for (const project of projects) {
      const own = releases.filter((release) => release.ocid === `ocds-zjcs-${project.id}`);
      expect(own[0]?.tag).toEqual(['tender']);
      const tenders = own.filter((release) => release.tender);
      expect(tenders.every((release) => release.tender.value.currency === 'CNY' && Math.round(release.tender.value.amount * 100) === project.budgetFen)).toBe(true);
      expect(tenders.every((release) => release.tender.procurementMethod === (project.method === 'direct' ? 'direct' : 'open'))).toBe(true);
      if (['publicity', 'awarded', 'contracted', 'delivered', 'completed'].includes(project.status)) {
        const award = own.find((release) => release.tag.includes('award'));
        expect(award?.awards?.[0]?.suppliers.length).toBeGreaterThan(0);
        expect(award?.tender.status).toBe('complete');
      }
      if (['contracted', 'delivered', 'completed'].includes(project.status)) {
        const contract = own.find((release) => release.tag.includes('contract')) as unknown as { contracts: { awardID: string; value: { amount: number } }[] } | undefined;
        expect(contract?.contracts[0]).toMatchObject({ awardID: `ocds-zjcs-${project.id}-award-1`, value: { currency: 'CNY' } });
      }
      if (project.status === 'failed') expect(tenders.some((release) => release.tender.status === 'unsuccessful')).toBe(true);
      if (project.status === 'cancelled') expect(own.some((release) => release.tag.includes('tenderCancellation'))).toBe(true);
    }
    expect(releases.some((release) => release.tag.includes('award'))).toBe(true);
    expect(releases.some((release) => release.tag.includes('contract'))).toBe(true);
  });

  it('writes yuan as the exact decimal of the fen', async () => {
    expect(yuanFromFen(123_456)).toBe(1234.56);
    expect(JSON.stringify({ amount: yuanFromFen(1_000_000_000_001) })).toBe('{"amount":10000000000.01}');
    expect(JSON.stringify({ amount: yuanFromFen(7) })).toBe('{"amount":0.07}');
    expect(() => yuanFromFen(1.5)).toThrow(RangeError);
  });

  it('filters by since, pages, and refuses a bad since', async () => {
    const last = releases[releases.length - 1]!;
    const since = await request(platform.app).get('/api/v1/ocds/releases').query({ since: last.date }).expect(200);
    expect(since.body.releases.length).toBeGreaterThanOrEqual(1);
    expect(since.body.releases.every((release: Release) => release.date >= last.date.slice(0, 19))).toBe(true);
    const beyond = await request(platform.app).get('/api/v1/ocds/releases').query({ page: Math.ceil(releases.length / OCDS_PAGE_SIZE) + 1 }).expect(200);
    expect(beyond.body.releases).toEqual([]);
    await request(platform.app).get('/api/v1/ocds/releases').query({ since: 'last tuesday' }).expect(400);
    const policy = await request(platform.app).get('/ocds').expect(200);
    expect(policy.text).toContain('ocds-zjcs-');
  });
});
