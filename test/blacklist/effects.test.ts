import request from 'supertest';
import { publishEntry } from '../../src/blacklist/service.js';
import { anAuction, firmOnTurn, bid, OPENING } from '../auction/support.js';
import { aProjectInPublicity, PUBLICITY_ENDS_AT } from '../awards/support.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';
import { aStaffUser } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const ENTRY = { reason: '提供虚假材料', basis: '《政府投资项目中介服务管理办法》第二十条', evidence: '核查记录' };

/**
 * Each effect point of a blacklist entry (§9) at the second it becomes active and at the second
 * it ends (`endsAt` already counts as expired). The draw is covered in
 * test/projects/lottery-options.test.ts, submissions also in test/projects/inquiry.test.ts.
 */
describe('blacklist effects at the exact second an entry starts and ends', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  const blacklist = async (firmId: number, period: { startsAt?: string; endsAt?: string }) =>
    publishEntry(platform, await aStaffUser(platform), { ...ENTRY, firmId, ...period });

  it('registration: refused from startsAt, naming the rule; allowed again from endsAt', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 2);
    const project = await publishedProject(owner, projectTerms(service.code));
    await blacklist(firms[0]!.firmId, { startsAt: '2026-11-25T10:00:00+08:00', endsAt: '2026-11-26T10:00:00+08:00' });
    platform.clock.set('2026-11-25T10:00:00+08:00');
    const refused = await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toContain('blacklisted');
    platform.clock.set('2026-11-26T09:59:59+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(422);
    platform.clock.set('2026-11-26T10:00:00+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
  });

  it('submission: accepted again from the second the entry ends', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, projectTerms(service.code, { minRespondents: 1 }));
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    await blacklist(firms[0]!.firmId, { endsAt: '2026-11-28T12:00:00+08:00' });
    platform.clock.set('2026-11-28T11:59:59+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(422);
    platform.clock.set('2026-11-28T12:00:00+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
  });

  it('bid: refused from startsAt (422 naming the rule), and accepted after the entry ended', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 2, turnSeconds: 600 });
    const bidder = await firmOnTurn(scene);
    const startsAt = new Date(OPENING + 60_000);
    await blacklist((bidder as unknown as { firmId: number }).firmId, { startsAt: startsAt.toISOString(), endsAt: new Date(OPENING + 120_000).toISOString() });
    platform.clock.set(startsAt);
    const refused = await bid(bidder, scene, { amountFen: 12_500_000 }).expect(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toContain('blacklisted');
    platform.clock.set(new Date(OPENING + 120_000));
    await bid(bidder, scene, { amountFen: 12_500_000 }).expect(201);
  });

  it('award: an entry that ended at the second publicity ends does not stop the offer or its acceptance', async () => {
    const { projectId, winner } = await aProjectInPublicity(platform);
    platform.clock.set('2026-12-02T09:00:00+08:00');
    await blacklist(winner.firmId, { endsAt: PUBLICITY_ENDS_AT });
    platform.clock.set(PUBLICITY_ENDS_AT);
    const state = (await request(platform.app).get(`/api/v1/projects/${projectId}/award`).expect(200)).body;
    expect(state.offers.map((o: { firmId: number; status: string }) => [o.firmId, o.status])).toEqual([[winner.firmId, 'offered']]);
    await post(winner, `/api/v1/projects/${projectId}/award/accept`).expect(200);
  });
});
