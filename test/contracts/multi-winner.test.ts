import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/platform/db/index.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aProjectInPublicity, PUBLICITY_ENDS_AT } from '../awards/support.js';
import { post, uploaded, with2027Calendar } from './support.js';

const HOUR = 60 * 60 * 1000;
/** The last alternate is offered the award at 18:00 on Friday 4 Dec; 5 working days later. */
const LAST_RESPOND_BY = '2026-12-11T17:00:00+08:00';

describe('two winners: the project is contracted once the alternates run out and every accepted award is signed', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
    platform.clock.set('2026-11-25T09:00:00+08:00');
    await with2027Calendar(platform);
  });
  afterEach(() => platform.close());

  const project = async (projectId: number) => (await request(platform.app).get(`/api/v1/projects/${projectId}`).expect(200)).body;
  const offers = async (projectId: number) =>
    (await request(platform.app).get(`/api/v1/projects/${projectId}/award`).expect(200)).body.offers.map((offer: { status: string }) => offer.status);
  const contractedEvents = (projectId: number) =>
    queryRows<{ action: string }>(platform.database.db, sql`select action from audit_events where entity_type = 'project' and entity_id = ${String(projectId)} and action = 'project.contracted'`);

  /** Two winners in publicity (firms 0 and 1) and one alternate (firm 2); firm 0 accepts an hour after publicity ends. */
  async function firstWinnerAccepted() {
    const scene = await aProjectInPublicity(platform, { winners: 2, firmCount: 3 });
    platform.clock.set(PUBLICITY_ENDS_AT);
    platform.clock.advance(HOUR);
    await post(scene.winner, `/api/v1/projects/${scene.projectId}/award/accept`).expect(200);
    return scene;
  }

  async function signFirstWinner(scene: Awaited<ReturnType<typeof firstWinnerAccepted>>) {
    const fileId = await uploaded(scene.scene.owner, 'contract');
    await post(scene.scene.owner, `/api/v1/projects/${scene.projectId}/contract`, { amountFen: 11_000_000, signedOn: '2026-12-04', fileId }).expect(201);
  }

  it('moves to contracted when the last alternate lets its offer lapse after the first winner signed', async () => {
    const scene = await firstWinnerAccepted();
    const [second] = scene.alternates;
    await signFirstWinner(scene);
    expect((await project(scene.projectId)).status).toBe('awarded'); // the second winner has not answered
    await post(second!, `/api/v1/projects/${scene.projectId}/award/decline`, { reason: '人员不足' }).expect(200);
    expect(await offers(scene.projectId)).toEqual(['accepted', 'declined', 'offered']);
    platform.clock.set(LAST_RESPOND_BY);
    platform.clock.advance(-1000);
    expect((await project(scene.projectId)).status).toBe('awarded');
    platform.clock.advance(1000);
    expect((await project(scene.projectId)).status).toBe('contracted');
    expect(await offers(scene.projectId)).toEqual(['accepted', 'declined', 'lapsed']);
    expect(await contractedEvents(scene.projectId)).toHaveLength(1);
  });

  it('moves to contracted when the last alternate declines after the first winner signed', async () => {
    const scene = await firstWinnerAccepted();
    const [second, third] = scene.alternates;
    await signFirstWinner(scene);
    await post(second!, `/api/v1/projects/${scene.projectId}/award/decline`, { reason: '人员不足' }).expect(200);
    await post(third!, `/api/v1/projects/${scene.projectId}/award/decline`, { reason: '档期冲突' }).expect(200);
    expect((await project(scene.projectId)).status).toBe('contracted');
    expect(await contractedEvents(scene.projectId)).toHaveLength(1);
  });

  it('stays awarded while the accepted award waits for its contract, and is contracted when it is signed', async () => {
    const scene = await firstWinnerAccepted();
    const [second, third] = scene.alternates;
    await post(second!, `/api/v1/projects/${scene.projectId}/award/decline`, { reason: '人员不足' }).expect(200);
    await post(third!, `/api/v1/projects/${scene.projectId}/award/decline`, { reason: '档期冲突' }).expect(200);
    expect((await project(scene.projectId)).status).toBe('awarded');
    expect(await contractedEvents(scene.projectId)).toHaveLength(0);
    await signFirstWinner(scene);
    expect((await project(scene.projectId)).status).toBe('contracted');
    expect(await contractedEvents(scene.projectId)).toHaveLength(1);
  });

  it('fails (流标) when neither winner nor the alternate accepts', async () => {
    const scene = await aProjectInPublicity(platform, { winners: 2, firmCount: 3 });
    platform.clock.set(PUBLICITY_ENDS_AT);
    for (const firm of [scene.winner, ...scene.alternates]) {
      await post(firm, `/api/v1/projects/${scene.projectId}/award/decline`, { reason: '无法履约' }).expect(200);
    }
    expect(await project(scene.projectId)).toMatchObject({ status: 'failed' });
  });
});
