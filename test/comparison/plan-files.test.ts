import request from 'supertest';
import { loggedInAs, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { AT_OPENING, DURING_SUBMISSIONS, aComparisonProject, aComparisonScene, post, propose } from './support.js';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

const upload = (session: LoggedIn, purpose = 'comparison_plan') =>
  session.agent.post('/api/v1/files').set('X-CSRF-Token', session.csrfToken).field('purpose', purpose).attach('file', PDF, { filename: '服务方案.pdf', contentType: 'application/pdf' });

describe('plan files of a comparison proposal', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('seals the files by hash, refuses another firm’s file, and opens them to the owner only after the opening', async () => {
    const { service, owner, firms } = await aComparisonScene(platform, 3);
    const project = await aComparisonProject(owner, firms, service.code, { price: 40, credit: 10, time: 20, plan: 30 });
    platform.clock.set(DURING_SUBMISSIONS);
    const file = await upload(firms[0]!).expect(201);
    const sub = (firm: LoggedIn, planFileIds: number[]) =>
      post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000, promisedDays: 10, plan: '见附件服务方案。', planFileIds });
    const foreign = await sub(firms[1]!, [file.body.id]).expect(400);
    expect(foreign.body.errors[0].path).toBe('body.planFileIds');
    await sub(firms[0]!, [file.body.id]).expect(201);
    const mine = await firms[0]!.agent.get(`/api/v1/projects/${project.id}/submissions/mine`).expect(200);
    expect(mine.body.content.planFiles).toEqual([{ id: file.body.id, sha256: file.body.sha256, filename: '服务方案.pdf' }]);
    await propose(firms[1]!, project.id, 11_000_000, 12).expect(201);
    await propose(firms[2]!, project.id, 12_000_000, 14).expect(201);
    // before the opening neither the owner nor staff may read it
    await owner.agent.get(`/api/v1/files/${file.body.id}`).expect(403);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await staff.agent.get(`/api/v1/files/${file.body.id}`).expect(403);
    await firms[0]!.agent.get(`/api/v1/files/${file.body.id}`).expect(200);

    platform.clock.set(AT_OPENING);
    const table = await owner.agent.get(`/api/v1/projects/${project.id}/comparison`).expect(200);
    expect(table.body.rows.find((row: { firmId: number }) => row.firmId === firms[0]!.firmId).planFiles).toHaveLength(1);
    const pub = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(JSON.stringify(pub.body)).not.toContain('服务方案.pdf');
    const read = await owner.agent.get(`/api/v1/files/${file.body.id}`).expect(200);
    await staff.agent.get(`/api/v1/files/${file.body.id}`).expect(200);
    expect(read.headers['x-content-sha256']).toBe(file.body.sha256);
    const otherOwner = await withToken(platform, await loggedInAs(platform, 'owner'));
    await otherOwner.agent.get(`/api/v1/files/${file.body.id}`).expect(403);
    const sheet = await owner.agent.get(`/projects/${project.id}/evaluation`).expect(200);
    expect(sheet.text).toContain(`/api/v1/files/${file.body.id}`);
  });
});
