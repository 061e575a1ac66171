import request from 'supertest';
import { sql } from 'drizzle-orm';
import { aStaffUser } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms } from '../projects/support.js';
import { anAuction, bid, firmLabelled, OPENING } from './support.js';

const at = (ms: number) => new Date(OPENING + ms);

describe('bidding (竞价): terms', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('accepts a minimum step of 0.5 %–3 % of the budget, both ends included, and names options.minStepFen otherwise', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const create = (options: object, method = 'bidding') => post(owner, '/api/v1/projects', projectTerms(service.code, { method, options }));
    for (const minStepFen of [74_999, 450_001]) {
      const refused = await create({ minStepFen }).expect(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'options.minStepFen' })]);
    }
    for (const minStepFen of [75_000, 450_000]) await create({ minStepFen }).expect(201);
    const defaults = await create({}).expect(201);
    expect(defaults.body.method).toBe('bidding');
    await create({ rounds: 11 }).expect(400);
    await create({ rounds: 0 }).expect(400);
    await create({ turnSeconds: 29 }).expect(400);
    await create({ turnSeconds: 601 }).expect(400);
    await create({ rounds: 10, turnSeconds: 600, allowSingleBid: true }).expect(201);
    const stray = await create({ rounds: 2 }, 'inquiry').expect(400);
    expect(stray.body.errors[0].path).toBe('options.rounds');
  });
});

describe('bidding (竞价): the opening', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('fails (流标) with fewer valid initial bids than minRespondents', async () => {
    const scene = await anAuction(platform, [12_000_000, null, 11_000_000], { turnSeconds: 60 });
    const project = await request(platform.app).get(scene.path).expect(200);
    expect(project.body.status).toBe('failed');
    expect(scene.state.phase).toBe('pending');
  });

  it('selects a single valid bid without an auction when the project allows it, and fails it otherwise', async () => {
    for (const allowSingleBid of [true, false]) {
      platform.clock.set('2026-11-25T09:00:00+08:00');
      const { service, owner, firms } = await aSelectionScene(platform, 1);
      const created = await post(owner, '/api/v1/projects', projectTerms(service.code, { method: 'bidding', minRespondents: 1, options: { allowSingleBid } })).expect(201);
      await post(owner, `/api/v1/projects/${created.body.id}/publish`).expect(200);
      await post(firms[0]!, `/api/v1/projects/${created.body.id}/registrations`).expect(201);
      platform.clock.set('2026-11-28T09:00:00+08:00');
      await post(firms[0]!, `/api/v1/projects/${created.body.id}/submissions`, { amountFen: 9_900_000 }).expect(201);
      platform.clock.set('2026-12-01T17:00:00+08:00');
      const project = await request(platform.app).get(`/api/v1/projects/${created.body.id}`).expect(200);
      if (allowSingleBid) {
        expect(project.body).toMatchObject({ status: 'publicity', result: { kind: 'auction', single: true, winners: [firms[0]!.firmId] } });
      } else {
        expect(project.body).toMatchObject({ status: 'failed' });
      }
    }
  });

  it('starts the auction at the opening: bidders as "Bidder N", highest initial bid first, later bid first on a tie, names hidden', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 12_000_000, 11_000_000]);
    const { state } = scene;
    expect(state).toMatchObject({ phase: 'running', rounds: 2, turnSeconds: 60, minStepFen: 150_000, startsAt: '2026-12-01T17:00:00.000+08:00' });
    expect(state.bidders.map((b: { label: string; currentFen: number }) => [b.label, b.currentFen])).toEqual([
      ['Bidder 1', 13_000_000],
      ['Bidder 2', 12_000_000],
      ['Bidder 3', 12_000_000],
      ['Bidder 4', 11_000_000],
    ]);
    expect(state.current).toMatchObject({ round: 1, turn: 1, turnsInRound: 4, label: 'Bidder 1', deadline: '2026-12-01T17:01:00.000+08:00', secondsLeft: 60 });
    // the tie: firms[2] bid 12,000,000 two seconds after firms[0], so it goes first
    expect((await firmLabelled(scene, 'Bidder 2')).firmId).toBe(scene.firms[2]!.firmId);
    expect((await firmLabelled(scene, 'Bidder 1')).firmId).toBe(scene.firms[1]!.firmId);
    const project = await request(platform.app).get(scene.path).expect(200);
    expect(project.body.status).toBe('auction');
    const names = (await platform.database.db.execute(sql`select name from organizations where kind = 'agency'`)) as unknown as { rows: { name: string }[] };
    const publicText = JSON.stringify(state) + JSON.stringify(project.body);
    for (const { name } of names.rows) expect(publicText).not.toContain(name);
    // nobody sees the opened submissions with names before the result
    await scene.owner.agent.get(`${scene.path}/submissions`).expect(403);
    const page = await request(platform.app).get(`/projects/${scene.project.id}/auction`).expect(200);
    for (const { name } of names.rows) expect(page.text).not.toContain(name);
    expect(page.text).toContain('Bidder 1');
  });
});

describe('bidding (竞价): turns and bids', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('refuses a bid one fen over the allowed maximum (409 bid_too_high) and accepts one at it (201)', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const first = await firmLabelled(scene, 'Bidder 1');
    const tooHigh = await bid(first, scene, { amountFen: 13_000_000 - 150_000 + 1 }).expect(409);
    expect(tooHigh.body).toMatchObject({ code: 'bid_too_high', maxBidFen: 12_850_000 });
    await bid(first, scene, { amountFen: 13_000_000 }).expect(409);
    const accepted = await bid(first, scene, { amountFen: 12_850_000 }).expect(201);
    expect(accepted.body).toMatchObject({ label: 'Bidder 1', kind: 'bid', round: 1, turn: 1, amountFen: 12_850_000 });
    const rows = (await platform.database.db.execute(sql`select count(*)::int as n from auction_actions where kind = 'bid'`)) as unknown as { rows: { n: number }[] };
    expect(rows.rows[0]!.n).toBe(1);
  });

  it('refuses a bid out of turn with 409 not_your_turn, and moves the turn at once after a bid or a pass', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const [b1, b2, b3] = [await firmLabelled(scene, 'Bidder 1'), await firmLabelled(scene, 'Bidder 2'), await firmLabelled(scene, 'Bidder 3')];
    const outOfTurn = await bid(b2, scene, { amountFen: 10_000_000 }).expect(409);
    expect(outOfTurn.body.code).toBe('not_your_turn');
    await bid(b2, scene, { pass: true }).expect(409);
    platform.clock.set(at(10_000));
    await bid(b1, scene, { amountFen: 11_500_000 }).expect(201);
    const state = (await b2.agent.get(`${scene.path}/auction`).expect(200)).body;
    expect(state.current).toMatchObject({ round: 1, turn: 2, label: 'Bidder 2', startedAt: '2026-12-01T17:00:10.000+08:00', deadline: '2026-12-01T17:01:10.000+08:00' });
    expect(state.you).toMatchObject({ label: 'Bidder 2', yourTurn: true, maxBidFen: 11_850_000 });
    await bid(b1, scene, { amountFen: 11_000_000 }).expect(409);
    platform.clock.set(at(15_000));
    await bid(b2, scene, { pass: true }).expect(201);
    platform.clock.set(at(20_000));
    await bid(b3, scene, { amountFen: 10_500_000 }).expect(201);
    // round 2 orders by current price: Bidder 2 (12,000,000), Bidder 1 (11,500,000), Bidder 3 (10,500,000)
    const round2 = (await request(platform.app).get(`${scene.path}/auction`).expect(200)).body;
    expect(round2.current).toMatchObject({ round: 2, turn: 1, label: 'Bidder 2' });
    expect(round2.log.map((e: { label: string; outcome: string }) => `${e.label}:${e.outcome}`)).toEqual(['Bidder 1:bid', 'Bidder 2:pass', 'Bidder 3:bid']);
  });

  it('takes a bid one millisecond before the turn deadline, refuses it at the deadline and after (the deadline is the next turn)', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const [b1, b2, b3] = [await firmLabelled(scene, 'Bidder 1'), await firmLabelled(scene, 'Bidder 2'), await firmLabelled(scene, 'Bidder 3')];
    platform.clock.set(at(59_999));
    await bid(b1, scene, { amountFen: 12_000_000 }).expect(201);
    // Bidder 2's turn began at 17:00:59.999 and ends at 17:01:59.999
    platform.clock.set(at(59_999 + 60_000));
    const atDeadline = await bid(b2, scene, { amountFen: 11_000_000 }).expect(409);
    expect(atDeadline.body.code).toBe('not_your_turn');
    platform.clock.set(at(59_999 + 60_001));
    await bid(b2, scene, { amountFen: 11_000_000 }).expect(409);
    // at its deadline the next bidder's turn has begun, and it may bid
    await bid(b3, scene, { amountFen: 10_850_000 }).expect(201);
    const state = (await request(platform.app).get(`${scene.path}/auction`).expect(200)).body;
    expect(state.log.map((e: { label: string; outcome: string; at: string }) => [e.label, e.outcome, e.at])).toEqual([
      ['Bidder 1', 'bid', '2026-12-01T17:00:59.999+08:00'],
      ['Bidder 2', 'timeout', '2026-12-01T17:01:59.999+08:00'],
      ['Bidder 3', 'bid', '2026-12-01T17:02:00.000+08:00'],
    ]);
  });

  it('runs to the end: the lowest final price wins, names and the full turn-by-turn log are published with the result', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 1, turnSeconds: 60 });
    const [b1, b2] = [await firmLabelled(scene, 'Bidder 1'), await firmLabelled(scene, 'Bidder 2')];
    platform.clock.set(at(5_000));
    await bid(b1, scene, { amountFen: 10_700_000 }).expect(201);
    platform.clock.set(at(8_000));
    await bid(b2, scene, { pass: true }).expect(201);
    // Bidder 3 lets its turn run out; the job at its deadline ends the auction
    platform.clock.set(at(8_000 + 60_000));
    await platform.jobs.runDue();
    const stored = (await platform.database.db.execute(sql`select status from projects where id = ${scene.project.id}`)) as unknown as { rows: { status: string }[] };
    expect(stored.rows[0]!.status).toBe('publicity');
    const project = (await request(platform.app).get(scene.path).expect(200)).body;
    expect(project.result).toMatchObject({ kind: 'auction', winners: [b1.firmId] });
    // with the result out, the owner reads the sealed initial bids as they were opened; firms do not
    const initial = await scene.owner.agent.get(`${scene.path}/submissions`).expect(200);
    expect(initial.body.ranking.map((r: { amountFen: number }) => r.amountFen)).toEqual([11_000_000, 12_000_000, 13_000_000]);
    await b1.agent.get(`${scene.path}/submissions`).expect(403);
    expect(project.result.ranking.map((r: { label: string; amountFen: number; rank: number }) => [r.rank, r.label, r.amountFen])).toEqual([
      [1, 'Bidder 1', 10_700_000],
      [2, 'Bidder 3', 11_000_000],
      [3, 'Bidder 2', 12_000_000],
    ]);
    expect(project.result.log).toEqual([
      expect.objectContaining({ round: 1, turn: 1, label: 'Bidder 1', firmId: b1.firmId, name: expect.any(String), outcome: 'bid', amountFen: 10_700_000, at: '2026-12-01T17:00:05.000+08:00' }),
      expect.objectContaining({ round: 1, turn: 2, label: 'Bidder 2', firmId: b2.firmId, outcome: 'pass', at: '2026-12-01T17:00:08.000+08:00' }),
      expect.objectContaining({ round: 1, turn: 3, label: 'Bidder 3', outcome: 'timeout', at: '2026-12-01T17:01:08.000+08:00' }),
    ]);
    const state = (await request(platform.app).get(`${scene.path}/auction`).expect(200)).body;
    expect(state).toMatchObject({ phase: 'ended', current: null, projectStatus: 'publicity' });
    expect(state.result.ranking[0].name).toBe(project.result.ranking[0].name);
    await bid(b2, scene, { amountFen: 10_000_000 }).expect(409);
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${scene.project.id}`).expect(200);
    expect(notices.body.items.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['auction_started', 'result_publicity']));
    const page = await request(platform.app).get(`/projects/${scene.project.id}`).expect(200);
    expect(page.text).toContain(`/projects/${scene.project.id}/auction`);
    expect(page.text).toContain(project.result.ranking[0].name);
  });

  it('settles an exact tie of final prices with the tie-break lottery committed at publication', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 1, turnSeconds: 60 });
    const b1 = await firmLabelled(scene, 'Bidder 1');
    await bid(b1, scene, { amountFen: 11_000_000 }).expect(201);
    platform.clock.set(at(10 * 60_000));
    const project = (await request(platform.app).get(scene.path).expect(200)).body;
    expect(project.status).toBe('publicity');
    const record = (await request(platform.app).get(`/api/v1/lotteries/${scene.project.tieBreakLotteryId}`).expect(200)).body;
    expect(project.result.tieBreak).toMatchObject({ lotteryId: scene.project.tieBreakLotteryId });
    expect(project.result.ranking.slice(0, 2).map((r: { uscc: string }) => r.uscc)).toEqual(record.order);
    expect(project.result.ranking.slice(0, 2).map((r: { amountFen: number }) => r.amountFen)).toEqual([11_000_000, 11_000_000]);
  });

  it('refuses a blacklisted bidder with 422 naming the rule, and leaves it out of the result', async () => {
    const { publishEntry } = await import('../../src/blacklist/service.js');
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 1, turnSeconds: 60 });
    const b1 = await firmLabelled(scene, 'Bidder 1');
    await publishEntry(platform, await aStaffUser(platform), {
      firmId: b1.firmId, reason: '提供虚假材料', basis: '《政府投资项目中介服务管理办法》第二十条', evidence: '核查记录',
    } as never);
    const refused = await bid(b1, scene, { amountFen: 10_000_000 }).expect(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toContain('blacklisted');
    platform.clock.set(at(10 * 60_000));
    const project = (await request(platform.app).get(scene.path).expect(200)).body;
    expect(project.result.ranking.map((r: { firmId: number }) => r.firmId)).not.toContain(b1.firmId);
    expect(project.result.invalid).toEqual([expect.objectContaining({ firmId: b1.firmId, reason: expect.stringContaining('blacklisted') })]);
  });

  it('skips a withdrawn bidder: its later turns take no time and it is out of the result', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 2, turnSeconds: 60 });
    const [b1, b2, b3] = [await firmLabelled(scene, 'Bidder 1'), await firmLabelled(scene, 'Bidder 2'), await firmLabelled(scene, 'Bidder 3')];
    platform.clock.set(at(1_000));
    await bid(b2, scene, { withdraw: true }).expect(201); // out of turn: Bidder 1 is on turn
    await bid(b2, scene, { pass: true }).expect(409);
    platform.clock.set(at(2_000));
    await bid(b1, scene, { amountFen: 12_500_000 }).expect(201);
    // Bidder 2 is skipped: Bidder 3's turn starts at once
    const state = (await request(platform.app).get(`${scene.path}/auction`).expect(200)).body;
    expect(state.current).toMatchObject({ round: 1, turn: 3, label: 'Bidder 3', startedAt: '2026-12-01T17:00:02.000+08:00' });
    expect(state.bidders.find((b: { label: string }) => b.label === 'Bidder 2').withdrawn).toBe(true);
    await bid(b3, scene, { pass: true }).expect(201);
    const round2 = (await request(platform.app).get(`${scene.path}/auction`).expect(200)).body;
    expect(round2.current).toMatchObject({ round: 2, turn: 1, turnsInRound: 2, label: 'Bidder 1' });
    platform.clock.set(at(10 * 60_000));
    const project = (await request(platform.app).get(scene.path).expect(200)).body;
    expect(project.result.ranking.map((r: { firmId: number }) => r.firmId)).toEqual([b3.firmId, b1.firmId]);
    expect(project.result.withdrawn).toEqual([expect.objectContaining({ firmId: b2.firmId, label: 'Bidder 2' })]);
    expect(project.result.log.map((e: { label: string; outcome: string }) => `${e.label}:${e.outcome}`)).toEqual([
      'Bidder 2:withdraw', 'Bidder 1:bid', 'Bidder 3:pass', 'Bidder 1:timeout', 'Bidder 3:timeout',
    ]);
  });

  it('answers 403 to firms that are not bidders, 401 anonymously, and 404 for a project that has no auction', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const { loggedInAs } = await import('../support/builders.js');
    const stranger = await loggedInAs(platform, 'agency');
    await bid(stranger, scene, { amountFen: 10_000_000 }).expect(403);
    await request(platform.app).post(`${scene.path}/auction/bids`).send({ amountFen: 1 }).expect(401);
    await bid(scene.owner, scene, { amountFen: 10_000_000 }).expect(403);
    const b1 = await firmLabelled(scene, 'Bidder 1');
    await bid(b1, scene, { amountFen: 10_000_000, pass: true }).expect(400);
    await bid(b1, scene, { amountFen: -5 }).expect(400);
    await bid(b1, scene, {}).expect(400);
    await request(platform.app).get('/api/v1/projects/999999/auction').expect(404);
  });
});
