import request from 'supertest';
import { acceptedAwards } from '../../src/awards/repository.js';
import { loggedInAs, post, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aProjectInPublicity, anAcceptedAward, FIRST_RESPOND_BY, PUBLICITY_ENDS_AT, QUOTES } from './support.js';

describe('award acceptance (中选确认)', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('lets the offered winner accept; the accepted award carries the winning price', async () => {
    const { projectId, winner } = await anAcceptedAward(platform);
    const accepted = await acceptedAwards(platform.database.db, projectId);
    expect(accepted).toEqual([
      { id: expect.any(Number), firmId: winner.firmId, firmName: expect.any(String), amountFen: QUOTES[0], promisedDays: 20, respondedAt: new Date('2026-12-04T18:00:00+08:00') },
    ]);
    const overview = await request(platform.app).get(`/api/v1/projects/${projectId}/award`).expect(200);
    expect(overview.body).toMatchObject({ status: 'awarded', offers: [{ firmId: winner.firmId, rank: 1, status: 'accepted' }] });
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${projectId}`).expect(200);
    expect(notices.body.items.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['awarded', 'award_accepted']));
  });

  it('refuses everyone but the offered firm (403) and a second answer (409)', async () => {
    const { scene, projectId, winner, alternates } = await aProjectInPublicity(platform);
    platform.clock.set(PUBLICITY_ENDS_AT);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await post(scene.owner, `/api/v1/projects/${projectId}/award/accept`).expect(403);
    await post(staff, `/api/v1/projects/${projectId}/award/accept`).expect(403);
    await post(alternates[0]!, `/api/v1/projects/${projectId}/award/accept`).expect(403);
    await post(alternates[0]!, `/api/v1/projects/${projectId}/award/decline`, { reason: '人手不足' }).expect(403);
    await request(platform.app).post(`/api/v1/projects/${projectId}/award/accept`).expect(401);
    await post(winner, `/api/v1/projects/${projectId}/award/accept`).expect(200);
    await post(winner, `/api/v1/projects/${projectId}/award/accept`).expect(409);
    await post(winner, `/api/v1/projects/${projectId}/award/decline`, { reason: '改变主意' }).expect(409);
    expect(FIRST_RESPOND_BY).toBe('2026-12-11T17:00:00+08:00');
  });
});
