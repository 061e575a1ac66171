/**
 * On the PostgreSQL server (PGlite has one connection and proves nothing about concurrency):
 * parallel bids, retries, a restart mid-auction and several web processes.
 */
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { closeAuctionBus } from '../../src/auction/bus.js';
import { createApiToken } from '../../src/auth/service.js';
import { currentUserOf, type TestAccount } from '../support/builders.js';
import type { TestPlatform } from '../support/platform.js';
import { aListeningPlatform, anAuction, anotherInstance, bid, firmLabelled, listen, OPENING, openStream } from './support.js';

const at = (ms: number) => new Date(OPENING + ms);
const tokenOf = async (platform: TestPlatform, firm: { account: TestAccount }) => (await createApiToken(platform, currentUserOf(firm.account), 'concurrency')).token;
const rows = async <T>(platform: TestPlatform, query: ReturnType<typeof sql>) => ((await platform.database.db.execute(query)) as unknown as { rows: T[] }).rows;

describe('auction concurrency on the server', () => {
  let platform: TestPlatform;
  let server: Awaited<ReturnType<typeof listen>>;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ platform, server, close } = await aListeningPlatform());
  });
  afterEach(() => close());

  it('50 concurrent identical retries with one Idempotency-Key store one bid and return one receipt', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const b1 = await firmLabelled(scene, 'Bidder 1');
    const token = await tokenOf(platform, b1);
    const storm = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(server.baseUrl).post(`${scene.path}/auction/bids`).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'storm-1').send({ amountFen: 12_000_000 }),
      ),
    );
    expect(storm.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(storm.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(storm.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await rows<{ n: number }>(platform, sql`select count(*)::int as n from auction_actions where project_id = ${scene.project.id}`)).toEqual([{ n: 1 }]);
    expect(await rows<{ n: number }>(platform, sql`select count(*)::int as n from audit_events where action = 'auction.bid'`)).toEqual([{ n: 1 }]);
    const events = await rows<{ type: string }>(platform, sql`select type from auction_events where project_id = ${scene.project.id} order by seq`);
    expect(events.map((e) => e.type)).toEqual(['started', 'turn', 'bid', 'turn']);
  });

  it('keeps one action per turn when every bidder bids at once across a turn boundary', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000, 11_500_000, 12_500_000]);
    const tokens = await Promise.all(scene.firms.map((firm) => tokenOf(platform, firm)));
    // at the first turn's deadline every bidder tries at once. The turn that opens then may bid;
    // its bid ends that turn at the same instant, so the next bidder's request may follow it
    platform.clock.set(at(60_000));
    const answers = await Promise.all(
      tokens.map((token) => request(server.baseUrl).post(`${scene.path}/auction/bids`).set('Authorization', `Bearer ${token}`).send({ amountFen: 10_000_000 })),
    );
    const accepted = answers.filter((a) => a.status === 201);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((a) => a.status !== 201).map((a) => a.body.code)).toEqual(Array(5 - accepted.length).fill('not_your_turn'));
    // one action per turn, in turn order, each the one the answers acknowledged
    const actions = await rows<{ id: number; round: number; turn: number }>(platform, sql`select id, round, turn from auction_actions where project_id = ${scene.project.id} order by id`);
    expect(actions.map((a) => `${a.round}:${a.turn}`)).toEqual(accepted.map((_, i) => `1:${i + 2}`));
    expect(accepted.map((a) => a.body.actionId).sort((x, y) => x - y)).toEqual(actions.map((a) => a.id));
    const state = (await request(platform.app).get(`${scene.path}/auction`).expect(200)).body;
    expect(state.log.map((e: { turn: number; outcome: string }) => `${e.turn}:${e.outcome}`)).toEqual(['1:timeout', ...accepted.map((_, i) => `${i + 2}:bid`)]);
    expect(state.bidders.filter((b: { currentFen: number }) => b.currentFen === 10_000_000)).toHaveLength(accepted.length);
    const events = await rows<{ seq: number }>(platform, sql`select seq from auction_events where project_id = ${scene.project.id} order by seq`);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('continues the auction after a restart: a new app instance on the same database takes the next bid and ends it', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 1, turnSeconds: 60 });
    const b1 = await firmLabelled(scene, 'Bidder 1');
    platform.clock.set(at(5_000));
    await bid(b1, scene, { amountFen: 12_000_000 }).expect(201);
    const token = await tokenOf(platform, await firmLabelled(scene, 'Bidder 2'));
    await server.close();

    // "kill -9": nothing of the first process is used from here on, only the database
    const restarted = await anotherInstance(platform);
    try {
      restarted.clock.set(at(70_000)); // Bidder 2's turn runs from 17:00:05 to 17:01:05: missed
      const state = (await request(restarted.app).get(`${scene.path}/auction`).expect(200)).body;
      expect(state.current).toMatchObject({ round: 1, turn: 3, label: 'Bidder 3' });
      expect(state.log.map((e: { label: string; outcome: string }) => `${e.label}:${e.outcome}`)).toEqual(['Bidder 1:bid', 'Bidder 2:timeout']);
      const late = await request(restarted.app).post(`${scene.path}/auction/bids`).set('Authorization', `Bearer ${token}`).send({ amountFen: 11_000_000 });
      expect(late.body.code).toBe('not_your_turn');
      const b3 = await tokenOf(platform, await firmLabelled(scene, 'Bidder 3'));
      await request(restarted.app).post(`${scene.path}/auction/bids`).set('Authorization', `Bearer ${b3}`).send({ amountFen: 10_800_000 }).expect(201);
      restarted.clock.set(at(70_000 + 1_000));
      // the auction ended with the last turn's bid; the sweeper of the new instance finds nothing left
      await restarted.sweeper.runOnce();
      const project = (await request(restarted.app).get(scene.path).expect(200)).body;
      expect(project.status).toBe('publicity');
      expect(project.result.ranking[0]).toMatchObject({ label: 'Bidder 3', amountFen: 10_800_000 });
    } finally {
      await restarted.close();
    }
  });

  it('with Redis, an event published by one instance reaches a stream opened on another', async () => {
    if (!process.env.REDIS_URL) return;
    const redis = { REDIS_URL: process.env.REDIS_URL };
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const b1 = await firmLabelled(scene, 'Bidder 1');
    const token = await tokenOf(platform, b1);
    const webA = await anotherInstance(platform, redis);
    const webB = await anotherInstance(platform, redis);
    const serverB = await listen(webB);
    try {
      webA.clock.set(at(2_000));
      webB.clock.set(at(2_000));
      const stream = openStream(serverB.baseUrl, `${scene.path}/auction/events`);
      await stream.waitFor((e) => e.event === 'turn', 'the replayed turn');
      const replayed = stream.events.length;
      await request(webA.app).post(`${scene.path}/auction/bids`).set('Authorization', `Bearer ${token}`).send({ amountFen: 12_100_000 }).expect(201);
      // long before B's heartbeat could read the database: the event came over Redis
      await stream.waitFor((e) => e.event === 'bid', 'the bid from the other instance');
      await stream.waitFor((e) => e.event === 'turn' && e.data.label === 'Bidder 2', 'the next turn');
      expect(stream.events.slice(replayed).map((e) => [e.event, e.data.label])).toEqual([['bid', 'Bidder 1'], ['turn', 'Bidder 2']]);
      stream.close();
    } finally {
      await serverB.close();
      await closeAuctionBus(webA);
      await closeAuctionBus(webB);
      await webA.close();
      await webB.close();
    }
  });
});
