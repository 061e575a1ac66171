import request from 'supertest';
import { loggedInAs, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aProjectInPublicity } from './support.js';

const GROUNDS = '中选机构的业绩材料与事实不符，请予核查。';

describe('award pages: the project page block and the staff objection queue', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());
  beforeEach(() => platform.clock.set('2026-11-25T09:00:00+08:00'));

  const form = (session: LoggedIn, path: string, fields: Record<string, string>) => session.agent.post(path).type('form').send(fields);

  it('takes an objection from the page, lets staff dismiss it from the queue, then lets the winner accept', async () => {
    const { scene, projectId, winner, alternates } = await aProjectInPublicity(platform);
    const anonymous = await request(platform.app).get(`/projects/${projectId}`).expect(200);
    expect(anonymous.text).toContain('id="award"');
    expect(anonymous.text).not.toContain('id="objection-form"');

    const firmPage = await alternates[0]!.agent.get(`/projects/${projectId}`).expect(200);
    expect(firmPage.text).toContain('id="objection-form"');
    const filed = await form(alternates[0]!, `/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(303);
    expect(filed.headers.location).toBe(`/projects/${projectId}?award=objected#award`);
    const again = await form(alternates[0]!, `/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(303);
    expect(again.headers.location).toContain('award=already_objected');
    const after = await alternates[0]!.agent.get(`/projects/${projectId}?award=objected`).expect(200);
    expect(after.text).toContain(GROUNDS);
    expect(after.text).not.toContain('id="objection-form"');
    expect((await request(platform.app).get(`/projects/${projectId}`)).text).not.toContain(GROUNDS);

    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await scene.owner.agent.get('/staff/objections').expect(403);
    const queue = await staff.agent.get('/staff/objections').expect(200);
    expect(queue.text).toContain(GROUNDS);
    const id = /data-objection-id="(\d+)"/.exec(queue.text)![1];
    const missingOutcome = await form(staff, `/staff/objections/${id}/decision`, { decision: 'uphold', reason: '理由' }).expect(303);
    expect(missingOutcome.headers.location).toBe('/staff/objections?done=validation_failed');
    const dismissed = await form(staff, `/staff/objections/${id}/decision`, { decision: 'dismiss', reason: '经核查业绩属实' }).expect(303);
    expect(dismissed.headers.location).toBe('/staff/objections?done=decided');
    expect((await staff.agent.get('/staff/objections?status=decided').expect(200)).text).toContain('经核查业绩属实');

    platform.clock.set('2026-12-07T09:00:00+08:00');
    const winnerPage = await winner.agent.get(`/projects/${projectId}`).expect(200);
    expect(winnerPage.text).toContain('id="accept-form"');
    expect((await alternates[1]!.agent.get(`/projects/${projectId}`)).text).not.toContain('id="accept-form"');
    const accepted = await form(winner, `/projects/${projectId}/award/accept`, {}).expect(303);
    expect(accepted.headers.location).toBe(`/projects/${projectId}?award=accepted#award`);
    const done = await request(platform.app).get(`/projects/${projectId}`).expect(200);
    expect(done.text).toMatch(/data-status="accepted"/);
  });

  it('declines from the page with a reason, and the alternate sees its offer', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    platform.clock.set('2026-12-07T09:00:00+08:00');
    const noReason = await form(winner, `/projects/${projectId}/award/decline`, { reason: '' }).expect(303);
    expect(noReason.headers.location).toContain('award=validation_failed');
    await form(winner, `/projects/${projectId}/award/decline`, { reason: '项目负责人离职' }).expect(303);
    const page = await alternates[0]!.agent.get(`/projects/${projectId}`).expect(200);
    expect(page.text).toContain('id="accept-form"');
    expect(page.text).toContain('项目负责人离职');
  });

  it('takes an objection with an attached file from the page form (multipart); staff read the file, the public does not', async () => {
    const { projectId, alternates } = await aProjectInPublicity(platform);
    const objector = alternates[0]!;
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    const filed = await objector.agent.post(`/projects/${projectId}/objections`).set('X-CSRF-Token', objector.csrfToken)
      .field('grounds', GROUNDS).attach('file', pdf, { filename: '业绩核查.pdf', contentType: 'application/pdf' }).expect(303);
    expect(filed.headers.location).toBe(`/projects/${projectId}?award=objected#award`);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const queue = await staff.agent.get('/api/v1/objections').expect(200);
    const objection = queue.body.items.find((item: { projectId: number }) => item.projectId === projectId);
    expect(objection.fileIds).toHaveLength(1);
    const fileId = objection.fileIds[0];
    const read = await staff.agent.get(`/api/v1/files/${fileId}`).expect(200);
    expect(read.headers['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    await request(platform.app).get(`/api/v1/files/${fileId}`).expect(401);
  });
});
