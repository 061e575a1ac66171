import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';
import { uploaded } from './support.js';

const BUDGET = 15_000_000;

describe('contract on a lottery result (摇号: no winning price)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it("caps the amount at the budget and takes the service item's time limit as the promised days", async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code, { method: 'lottery', submissionCloses: undefined, winners: 1, budgetFen: BUDGET }));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T17:00:01+08:00');
    const drawn = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(drawn.body.status).toBe('publicity');
    const winnerId = drawn.body.result.winners[0] as number;
    const winner = firms.find((firm) => firm.firmId === winnerId)!;
    platform.clock.set(new Date(new Date(drawn.body.result.publicityEndsAt).getTime() + 3_600_000));
    await post(winner, `/api/v1/projects/${project.id}/award/accept`).expect(200);
    const signedOn = drawn.body.result.publicityEndsAt.slice(0, 10);
    const fileId = await uploaded(owner, 'contract');
    const above = await post(owner, `/api/v1/projects/${project.id}/contract`, { amountFen: BUDGET + 1, signedOn, fileId }).expect(400);
    expect(above.body.errors).toEqual([expect.objectContaining({ path: 'body.amountFen' })]);
    const signed = await post(owner, `/api/v1/projects/${project.id}/contract`, { amountFen: BUDGET, signedOn, fileId }).expect(201);
    expect(signed.body).toMatchObject({ firmId: winnerId, promisedDays: service.timeLimitDays });
  });
});
