import request from 'supertest';
import { sql } from 'drizzle-orm';
import { attachFiles, registerFileReadRule } from '../../src/platform/files/service.js';
import { sniffMediaType } from '../../src/platform/files/content-type.js';
import { loggedInAs, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const DOCX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from('[Content_Types].xml'), Buffer.alloc(10), Buffer.from('word/document.xml')]);
const MAX = 4096;

const upload = (session: LoggedIn, data: Buffer, options: { filename?: string; purpose?: string; contentType?: string } = {}) =>
  session.agent
    .post('/api/v1/files')
    .set('X-CSRF-Token', session.csrfToken)
    .field('purpose', options.purpose ?? 'contract')
    .attach('file', data, { filename: options.filename ?? 'file.bin', contentType: options.contentType ?? 'application/octet-stream' });

async function storedCount(platform: TestPlatform): Promise<number> {
  const result = (await platform.database.db.execute(sql`select count(*)::int as n from stored_files`)) as unknown as { rows: { n: number }[] };
  return result.rows[0]!.n;
}

describe('file store: uploads checked by content and size, served only to those allowed', () => {
  let platform: TestPlatform;
  let firm: LoggedIn;
  let otherFirm: LoggedIn;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { UPLOAD_MAX_BYTES: String(MAX) } });
    firm = await loggedInAs(platform, 'agency');
    otherFirm = await withToken(platform, await loggedInAs(platform, 'agency'));
    staff = await loggedInAs(platform, 'staff');
  });
  afterAll(() => platform.close());

  it('stores a PDF with its SHA-256, judging the type by content, not by the name or claimed type', async () => {
    const stored = await upload(firm, PDF, { filename: '服务合同（扫描件）.txt', contentType: 'image/png' }).expect(201);
    expect(stored.body).toEqual({
      id: expect.any(Number),
      sha256: '' + (await import('node:crypto')).createHash('sha256').update(PDF).digest('hex'),
      sizeBytes: PDF.length,
      mediaType: 'application/pdf',
      filename: '服务合同（扫描件）.txt',
    });
    const served = await firm.agent.get(`/api/v1/files/${stored.body.id}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(served.body as Buffer, PDF)).toBe(0);
    expect(served.headers['content-type']).toBe('application/pdf');
    expect(served.headers['content-disposition']).toMatch(/^attachment;/);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['x-content-sha256']).toBe(stored.body.sha256);
  });

  it('recognises PNG, Office documents and plain text', async () => {
    expect((await upload(firm, PNG).expect(201)).body.mediaType).toBe('image/png');
    expect((await upload(firm, DOCX).expect(201)).body.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect((await upload(firm, Buffer.from('成果说明\n第一章\n')).expect(201)).body.mediaType).toBe('text/plain');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]))).toBe('image/jpeg');
  });

  it('refuses a forbidden type with 400 and stores nothing', async () => {
    const before = await storedCount(platform);
    const refused = await upload(firm, EXE, { filename: 'report.pdf', contentType: 'application/pdf' }).expect(400);
    expect(refused.body.code).toBe('file_type_not_allowed');
    await upload(firm, Buffer.from('GIF89a\u0001\u0000')).expect(400);
    await upload(firm, Buffer.alloc(0)).expect(400);
    expect(await storedCount(platform)).toBe(before);
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 and stores nothing; exactly the limit is accepted', async () => {
    const before = await storedCount(platform);
    const refused = await upload(firm, Buffer.concat([PDF, Buffer.alloc(MAX + 1 - PDF.length, 0x20)])).expect(413);
    expect(refused.body.code).toBe('body_too_large');
    expect(await storedCount(platform)).toBe(before);
    await upload(firm, Buffer.concat([PDF, Buffer.alloc(MAX - PDF.length, 0x20)])).expect(201);
    expect(await storedCount(platform)).toBe(before + 1);
  });

  it('needs a login, the CSRF token of a cookie session, a file and a purpose', async () => {
    await request(platform.app).post('/api/v1/files').field('purpose', 'contract').attach('file', PDF, 'a.pdf').expect(401);
    await firm.agent.post('/api/v1/files').field('purpose', 'contract').attach('file', PDF, 'a.pdf').expect(403);
    const missing = await firm.agent.post('/api/v1/files').set('X-CSRF-Token', firm.csrfToken).send({ purpose: 'contract' }).expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'body.file' })]);
    await upload(firm, PDF, { purpose: 'Not A Purpose' }).expect(400);
  });

  it("serves a file to its organisation and staff only: another firm 403, anonymous 401", async () => {
    const stored = await upload(firm, PDF, { purpose: 'private_note' }).expect(201);
    await otherFirm.agent.get(`/api/v1/files/${stored.body.id}`).expect(403);
    await request(platform.app).get(`/api/v1/files/${stored.body.id}`).expect(401);
    await staff.agent.get(`/api/v1/files/${stored.body.id}`).expect(200);
    await firm.agent.get('/api/v1/files/999999').expect(404);
  });

  it('lets the purpose\'s read rule open a file to whoever its record allows', async () => {
    const sharedWith = otherFirm.account.user.organizationId;
    registerFileReadRule('shared_for_test', async (_db, user) => user?.organizationId === sharedWith);
    const stored = await upload(firm, PDF, { purpose: 'shared_for_test' }).expect(201);
    await otherFirm.agent.get(`/api/v1/files/${stored.body.id}`).expect(200);
    const third = await loggedInAs(platform, 'owner');
    await third.agent.get(`/api/v1/files/${stored.body.id}`).expect(403);
  });

  it("attachFiles accepts the caller's own files and refuses another organisation's with 400", async () => {
    const mine = await upload(firm, PDF, { purpose: 'deliverable' }).expect(201);
    const theirs = await upload(otherFirm, PDF, { purpose: 'deliverable' }).expect(201);
    const organizationId = firm.account.user.organizationId;
    const attached = await platform.database.transaction((tx) => attachFiles(tx, [mine.body.id], { organizationId, purpose: 'deliverable' }));
    expect(attached).toEqual([mine.body]);
    await expect(platform.database.transaction((tx) => attachFiles(tx, [mine.body.id, theirs.body.id], { organizationId }))).rejects.toMatchObject({
      status: 400,
      code: 'file_not_attachable',
    });
    await expect(platform.database.transaction((tx) => attachFiles(tx, [mine.body.id], { organizationId, purpose: 'contract' }))).rejects.toMatchObject({ status: 400 });
    await expect(platform.database.transaction((tx) => attachFiles(tx, [424242], { organizationId }))).rejects.toMatchObject({ status: 400 });
  });
});

describe('file store: at most UPLOADS_PER_HOUR files per account in any rolling hour', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { UPLOADS_PER_HOUR: '3' } });
  });
  afterAll(() => platform.close());

  it('answers 429 with Retry-After until the oldest upload of the hour is an hour old, storing nothing', async () => {
    platform.clock.set('2026-11-25T09:00:00+08:00');
    const firm = await withToken(platform, await loggedInAs(platform, 'agency'));
    const other = await withToken(platform, await loggedInAs(platform, 'agency'));
    for (let i = 0; i < 3; i += 1) {
      await upload(firm, PDF).expect(201);
      platform.clock.advance(10 * 60 * 1000);
    }
    const before = await storedCount(platform);
    const refused = await upload(firm, PDF).expect(429);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe(String(30 * 60));
    expect(await storedCount(platform)).toBe(before);
    await upload(other, PDF).expect(201);

    platform.clock.set('2026-11-25T09:59:59+08:00');
    expect((await upload(firm, PDF).expect(429)).headers['retry-after']).toBe('1');
    platform.clock.set('2026-11-25T10:00:00+08:00');
    await upload(firm, PDF).expect(201);
  });
});
