import request from 'supertest';
import { loadConfig } from '../../src/platform/config.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('absolute URLs come from PUBLIC_BASE_URL, never from the Host header', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { PUBLIC_BASE_URL: 'https://zjcs.yantai.gov.cn/', OCDS_PREFIX: 'ocds-yt1234-' } });
  });
  afterAll(() => platform.close());

  it.each(['/blacklist/feed.atom', '/feeds/announcements.atom', '/feeds/audit-checkpoints.atom'])('keeps the ids of %s whatever Host says', async (path) => {
    const feed = await request(platform.app).get(path).set('Host', 'example.org').expect(200);
    expect(feed.text).toContain('<id>https://zjcs.yantai.gov.cn/');
    expect(feed.text).not.toContain('example.org');
  });

  it('builds the OCDS package URIs from PUBLIC_BASE_URL and shows the configured prefix', async () => {
    const ocds = await request(platform.app).get('/api/v1/ocds/releases').set('Host', 'example.org').expect(200);
    expect(JSON.stringify(ocds.body)).not.toContain('example.org');
    expect(ocds.body.publisher.uri).toBe('https://zjcs.yantai.gov.cn');
    const page = await request(platform.app).get('/ocds').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('ocds-yt1234-');
  });

  it('requires PUBLIC_BASE_URL in production and checks its form', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), SUBMISSION_KEY: 'a'.repeat(64) };
    expect(() => loadConfig(production)).toThrow(/PUBLIC_BASE_URL/);
    expect(() => loadConfig({ ...production, PUBLIC_BASE_URL: 'zjcs.yantai.gov.cn' })).toThrow(/PUBLIC_BASE_URL/);
    expect(loadConfig({ ...production, PUBLIC_BASE_URL: 'https://zjcs.yantai.gov.cn' }).publicBaseUrl).toBe('https://zjcs.yantai.gov.cn');
    expect(loadConfig({ NODE_ENV: 'test', PORT: '4100' }).publicBaseUrl).toBe('http://localhost:4100');
    expect(() => loadConfig({ NODE_ENV: 'test', OCDS_PREFIX: 'zjcs' })).toThrow(/OCDS_PREFIX/);
  });
});
