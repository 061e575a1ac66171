import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { verifyTrail } from '../../src/audit/public-trail.js';
import { aPublishedService } from '../catalog/builders.js';
import { aSelectionScene, projectTerms, publishedProject } from '../projects/support.js';
import { aFirm, loggedInAs, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const run = promisify(execFile);

async function verifyAuditCli(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('npx', ['tsx', 'scripts/verify-audit.ts', ...args], { env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe('public audit trails, the footer head and trail verification', () => {
  let platform: TestPlatform;
  let projectId: number;
  beforeAll(async () => {
    platform = await createTestPlatform();
    platform.clock.set('2026-11-24T09:00:00+08:00');
    const { service, owner } = await aSelectionScene(platform, 0);
    projectId = (await publishedProject(owner, projectTerms(service.code))).id;
    // events of other entities interleave with the project's
    await aPublishedService(platform);
    await owner.agent.post(`/api/v1/projects/${projectId}/amendments`).send({ description: '补充说明', reason: '补充编制范围' }).expect(200);
  });
  afterAll(() => platform.close());

  const download = async () => {
    const trail = (await request(platform.app).get(`/api/v1/audit/trail/project/${projectId}`).query({ pageSize: 100 }).expect(200)).body;
    const links = (await request(platform.app).get('/api/v1/audit/links').query({ limit: 5000 }).expect(200)).body;
    return { trail, links };
  };

  it('publishes the chain links without bodies, ending at the head, in pages', async () => {
    const head = (await request(platform.app).get('/api/v1/audit/head').expect(200)).body;
    const { links } = await download();
    expect(links.head).toEqual(head);
    expect(links.items).toHaveLength(head.seq);
    expect(links.items[links.items.length - 1]).toEqual({ seq: head.seq, bodyHash: expect.stringMatching(/^[0-9a-f]{64}$/), linkHash: head.hash });
    expect(Object.keys(links.items[0]).sort()).toEqual(['bodyHash', 'linkHash', 'seq']);
    const first = (await request(platform.app).get('/api/v1/audit/links').query({ limit: 2 }).expect(200)).body;
    expect(first.items.map((link: { seq: number }) => link.seq)).toEqual([1, 2]);
    expect(first.next).toBe(`/api/v1/audit/links?after=2&limit=2&upTo=${head.seq}`);
    const second = (await request(platform.app).get(first.next).expect(200)).body;
    expect(second.items[0].seq).toBe(3);
    await request(platform.app).get('/api/v1/audit/links').query({ limit: 100_000 }).expect(400);
  });

  it('verifies a downloaded trail and detects an altered event, a forged link and a stale head', async () => {
    const { trail, links } = await download();
    expect(trail.items.map((event: { action: string }) => event.action)).toEqual(expect.arrayContaining(['project.published', 'project.terms_amended']));
    expect(verifyTrail(trail.items, links.items, links.head)).toBeNull();

    const altered = structuredClone(trail.items);
    const amended = altered.find((event: { action: string }) => event.action === 'project.terms_amended');
    amended.data.reason = '别的理由';
    expect(verifyTrail(altered, links.items, links.head)).toMatchObject({ seq: amended.seq, reason: 'body_mismatch' });

    const forgedLinks = structuredClone(links.items);
    forgedLinks[amended.seq - 1].bodyHash = 'f'.repeat(64);
    expect(verifyTrail(trail.items, forgedLinks, links.head)).toMatchObject({ seq: amended.seq, reason: 'link_broken' });

    expect(verifyTrail(trail.items, links.items.slice(0, -1), links.head)).toMatchObject({ reason: 'head_mismatch' });
    expect(verifyTrail([{ ...trail.items[0], seq: links.head.seq + 1 }], links.items, links.head)).toMatchObject({ reason: 'event_not_in_chain' });
    expect(verifyTrail([{ ...trail.items[0], hash: '0'.repeat(64) }], links.items, links.head)).toMatchObject({ reason: 'hash_mismatch' });
  });

  it('npm run verify-audit -- --trail --links says OK, and exits 1 naming the first mismatch', async () => {
    const { trail, links } = await download();
    const dir = mkdtempSync(path.join(tmpdir(), 'zjcs-trail-'));
    try {
      writeFileSync(path.join(dir, 'trail.json'), JSON.stringify(trail));
      writeFileSync(path.join(dir, 'links.json'), JSON.stringify(links));
      const ok = await verifyAuditCli(['--trail', path.join(dir, 'trail.json'), '--links', path.join(dir, 'links.json')]);
      expect(ok.code).toBe(0);
      expect(ok.out).toContain(`OK: ${trail.items.length} trail events are in the chain ending at seq ${links.head.seq}`);
      const altered = structuredClone(trail);
      altered.items[0].actor = 'user:999';
      writeFileSync(path.join(dir, 'altered.json'), JSON.stringify(altered));
      const broken = await verifyAuditCli(['--trail', path.join(dir, 'altered.json'), '--links', path.join(dir, 'links.json')]);
      expect(broken.code).toBe(1);
      expect(broken.out).toContain(`MISMATCH at seq ${altered.items[0].seq}: body_mismatch`);
      expect((await verifyAuditCli(['--trail', path.join(dir, 'trail.json')])).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('npm run verify-audit fetches the trail and the links from the service when given URLs', async () => {
    const server = platform.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const base = `http://127.0.0.1:${port}/api/v1`;
      const ok = await verifyAuditCli(['--trail', `${base}/audit/trail/project/${projectId}`, '--links', `${base}/audit/links?limit=3`]);
      expect(ok.out).toMatch(/OK: \d+ trail events are in the chain ending at seq \d+/);
      expect(ok.code).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it('shows the audit head in every page footer and the trail on each public entity page', async () => {
    const head = (await request(platform.app).get('/api/v1/audit/head').expect(200)).body;
    const home = await request(platform.app).get('/').expect(200);
    expect(home.text).toContain(`title="${head.hash}">${head.hash.slice(0, 12)}</a>`);
    expect(home.text).toMatch(new RegExp(`seq ${head.seq}|第 ${head.seq} 条`));

    const project = await request(platform.app).get(`/projects/${projectId}`).expect(200);
    expect(project.text).toContain('class="audit-trail"');
    expect(project.text).toContain('project.terms_amended');
    expect(project.text).toContain(`href="/api/v1/audit/trail/project/${projectId}?pageSize`);

    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const { firmId } = await aFirm(platform, { admitted: true });
    const entry = await staff.agent.post('/api/v1/blacklist').send({ firmId, reason: '出具虚假报告', basis: '管理办法第三十条', evidence: '处罚决定书' }).expect(201);
    const entryPage = await request(platform.app).get(`/blacklist/${entry.body.id}`).expect(200);
    expect(entryPage.text).toContain('blacklist.published');

    const item = await aPublishedService(platform);
    const itemPage = await request(platform.app).get(`/services/${item.code.toLowerCase()}`).expect(200);
    expect(itemPage.text).toContain('service_item.published');

    const lotteryId = (await request(platform.app).get(`/api/v1/projects/${projectId}`).expect(200)).body.tieBreakLotteryId as string;
    const lottery = await request(platform.app).get(`/lotteries/${lotteryId}`).expect(200);
    expect(lottery.text).toContain('lottery.committed');
  });
});
