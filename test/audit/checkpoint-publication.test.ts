import request from 'supertest';
import { keyIdOf, verifyCheckpointSignature } from '../../src/audit/checkpoint-format.js';
import { signCheckpoint } from '../../src/audit/checkpoints.js';
import { appendAudit } from '../../src/audit/service.js';
import { MINUTE } from '../../src/platform/clock.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { assertAtomFeed, childrenNamed, childText, parseXml } from '../transparency/xml.js';

describe('publishing signed checkpoints: API, Atom feed and page footer', () => {
  let platform: TestPlatform;
  const append = (i: number) =>
    platform.database.transaction((tx) => appendAudit(tx, platform.clock, { actor: 'user:1', action: 'test.done', entityType: 'project', entityId: i }));

  beforeAll(async () => {
    platform = await createTestPlatform({ config: { PUBLIC_BASE_URL: 'https://zjcs.yantai.gov.cn' } });
  });
  afterAll(() => platform.close());

  it('shows no checkpoint in the footer before the first is signed', async () => {
    const home = await request(platform.app).get('/').expect(200);
    expect(home.text).not.toContain('audit-checkpoint');
    expect((await request(platform.app).get('/api/v1/audit/checkpoints').expect(200)).body).toMatchObject({ items: [], total: 0 });
  });

  it('serves the public key and the checkpoints, newest first, each verifiable as published', async () => {
    platform.clock.set('2026-11-25T09:10:00.250+08:00');
    await append(1);
    await append(2);
    await signCheckpoint(platform, 'interval');
    platform.clock.advance(10 * MINUTE);
    await append(3);
    await signCheckpoint(platform, 'opening');

    const body = (await request(platform.app).get('/api/v1/audit/checkpoints').expect(200)).body;
    const publicKey = platform.auditSigningKey.publicKey;
    expect(body).toMatchObject({ publicKey: publicKey.toString('hex'), keyId: keyIdOf(publicKey), algorithm: 'Ed25519', total: 2, page: 1, pageSize: 20 });
    expect(body.items.map((item: { seq: number; reason: string; signedAt: string }) => [item.seq, item.reason, item.signedAt])).toEqual([
      [3, 'opening', '2026-11-25T01:20:00.250Z'],
      [2, 'interval', '2026-11-25T01:10:00.250Z'],
    ]);
    for (const item of body.items) {
      expect(item.keyId).toBe(body.keyId);
      expect(verifyCheckpointSignature(body.publicKey, item)).toBe(true);
    }
    const second = (await request(platform.app).get('/api/v1/audit/checkpoints').query({ page: 2, pageSize: 1 }).expect(200)).body;
    expect(second.items).toEqual([body.items[1]]);
    const one = (await request(platform.app).get('/api/v1/audit/checkpoints/2').expect(200)).body;
    expect(one).toEqual({ ...body.items[1], publicKey: body.publicKey, keyId: body.keyId, algorithm: 'Ed25519' });
    await request(platform.app).get('/api/v1/audit/checkpoints/9').expect(404);
    await request(platform.app).get('/api/v1/audit/checkpoints').query({ pageSize: 1000 }).expect(400);
  });

  it('publishes an Atom feed whose entry ids come from PUBLIC_BASE_URL, whatever Host says', async () => {
    const response = await request(platform.app).get('/feeds/audit-checkpoints.atom').set('Host', 'example.org').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(response.text).not.toContain('example.org');
    const feed = parseXml(response.text);
    assertAtomFeed(feed);
    const entries = childrenNamed(feed, 'entry');
    expect(entries.map((entry) => childText(entry, 'id'))).toEqual([
      'https://zjcs.yantai.gov.cn/api/v1/audit/checkpoints/3',
      'https://zjcs.yantai.gov.cn/api/v1/audit/checkpoints/2',
    ]);
    expect(childText(entries[1]!, 'updated')).toBe('2026-11-25T09:10:00.250+08:00');
    const latest = (await request(platform.app).get('/api/v1/audit/checkpoints/3').expect(200)).body;
    expect(childText(entries[0]!, 'summary')).toContain(latest.signature);
    expect(childText(entries[0]!, 'summary')).toContain('2026-11-25T01:20:00.250Z'); // the signed string, for offline checks
  });

  it('shows the latest checkpoint in the footer, in Beijing time, in zh-CN and English', async () => {
    const latest = (await request(platform.app).get('/api/v1/audit/checkpoints/3').expect(200)).body;
    const footerLine = (html: string) => html.match(/<p class="audit-checkpoint">(.*?)<\/p>/s)?.[1] ?? '';
    const zh = footerLine((await request(platform.app).get('/').expect(200)).text);
    expect(zh).toContain(`href="/api/v1/audit/checkpoints" title="${latest.hash}">${latest.hash.slice(0, 12)}</a>`);
    expect(zh).toContain('href="/feeds/audit-checkpoints.atom"');
    const zhText = zh.replace(/<[^>]*>/g, '').replace(latest.hash.slice(0, 12), '');
    expect(zhText).toBe('最新签名检查点：第 3 条，北京时间 2026年11月25日 09:20 签名，哈希  · 订阅检查点');
    expect(zhText).not.toMatch(/[A-Za-z]|\d{4}-\d{2}-\d{2}|T\d{2}:/);

    const en = footerLine((await request(platform.app).get('/?lang=en').expect(200)).text).replace(/<[^>]*>/g, '');
    expect(en).toContain('Latest signed checkpoint: seq 3, signed 25 Nov 2026, 09:20 Beijing time, hash');
    expect(en).toContain('Checkpoint feed');

    // every page has it, not only the home page
    expect(footerLine((await request(platform.app).get('/announcements').expect(200)).text)).toContain('第 3 条');
  });
});
