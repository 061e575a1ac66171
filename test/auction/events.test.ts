import request from 'supertest';
import { streamSettings } from '../../src/auction/stream.js';
import type { TestPlatform } from '../support/platform.js';
import { aListeningPlatform, anAuction, bid, firmLabelled, listen, OPENING, openStream } from './support.js';

const at = (ms: number) => new Date(OPENING + ms);

describe('auction events (Server-Sent Events)', () => {
  let platform: TestPlatform;
  let server: Awaited<ReturnType<typeof listen>>;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ platform, server, close } = await aListeningPlatform());
  });
  afterEach(() => close());

  it('streams a bid live, and a reconnect with Last-Event-ID replays only the missed events', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const [b1, b2] = [await firmLabelled(scene, 'Bidder 1'), await firmLabelled(scene, 'Bidder 2')];
    const first = openStream(server.baseUrl, `${scene.path}/auction/events`);
    await first.waitFor((e) => e.event === 'turn', 'the first turn');
    expect(first.events.map((e) => [e.id, e.event])).toEqual([[1, 'started'], [2, 'turn']]);
    expect(first.events[0]!.data).toMatchObject({ rounds: 2, turnSeconds: 60, bidders: expect.arrayContaining([{ label: 'Bidder 1', initialFen: 13_000_000 }]) });

    platform.clock.set(at(3_000));
    await bid(b1, scene, { amountFen: 12_500_000 }).expect(201);
    await first.waitFor((e) => e.event === 'bid', 'the bid');
    await first.waitFor((e) => e.id === 4, 'the next turn');
    expect(first.events.slice(2).map((e) => [e.id, e.event, e.data.label])).toEqual([[3, 'bid', 'Bidder 1'], [4, 'turn', 'Bidder 2']]);
    expect(first.events[2]!.data).toMatchObject({ amountFen: 12_500_000, at: '2026-12-01T09:00:03.000Z' });
    expect(JSON.stringify(first.events)).not.toMatch(/有限公司/);
    first.close();

    // missed while away: Bidder 2 passes, then Bidder 3 lets its turn run out
    platform.clock.set(at(4_000));
    await bid(b2, scene, { pass: true }).expect(201);
    platform.clock.set(at(4_000 + 60_000));
    await platform.jobs.runDue();

    const second = openStream(server.baseUrl, `${scene.path}/auction/events`, { 'Last-Event-ID': '4' });
    await second.waitFor((e) => e.event === 'turn' && e.data.round === 2, 'round 2');
    expect(second.events.map((e) => [e.id, e.event, e.data.label])).toEqual([
      [5, 'pass', 'Bidder 2'],
      [6, 'turn', 'Bidder 3'],
      [7, 'timeout', 'Bidder 3'],
      [8, 'turn', 'Bidder 1'],
    ]);
    second.close();
    const byQuery = openStream(server.baseUrl, `${scene.path}/auction/events?lastEventId=7`);
    await byQuery.waitFor((e) => e.id === 8);
    expect(byQuery.events.map((e) => e.id)).toEqual([8]);
    byQuery.close();
  });

  it('announces a turn that timed out through the deadline job, without any request', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    const stream = openStream(server.baseUrl, `${scene.path}/auction/events`);
    await stream.waitFor((e) => e.event === 'turn');
    platform.clock.set(at(60_000));
    expect(await platform.jobs.runDue()).toBeGreaterThan(0);
    await stream.waitFor((e) => e.event === 'timeout', 'the timeout');
    await stream.waitFor((e) => e.event === 'turn' && e.data.label === 'Bidder 2', 'the next turn');
    expect(stream.events.find((e) => e.event === 'timeout')!.data).toMatchObject({ label: 'Bidder 1', round: 1, turn: 1 });
    stream.close();
  });

  it('sends heartbeats, and at a heartbeat announces a turn that timed out even when no job ran', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000]);
    streamSettings.heartbeatMs = 100;
    try {
      const stream = openStream(server.baseUrl, `${scene.path}/auction/events`);
      await stream.waitFor((e) => e.event === 'turn');
      await stream.waitForHeartbeat();
      platform.clock.set(at(60_000)); // no runDue and no request: only the stream's watch notices
      await stream.waitFor((e) => e.event === 'timeout', 'the timeout');
      await stream.waitFor((e) => e.id === 4, 'the next turn');
      expect(stream.events.map((e) => [e.id, e.event, e.data.label])).toEqual([[1, 'started', undefined], [2, 'turn', 'Bidder 1'], [3, 'timeout', 'Bidder 1'], [4, 'turn', 'Bidder 2']]);
      stream.close();
    } finally {
      streamSettings.heartbeatMs = 15_000;
    }
  });

  it('ends the stream after the result and answers 204 to a reconnect, so EventSource stops', async () => {
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 1, turnSeconds: 60 });
    const stream = openStream(server.baseUrl, `${scene.path}/auction/events`);
    await stream.waitFor((e) => e.event === 'turn');
    platform.clock.set(at(3 * 60_000));
    await platform.sweeper.runOnce();
    await stream.waitFor((e) => e.event === 'ended', 'the end');
    await stream.waitForEnd();
    const ended = stream.events.find((e) => e.event === 'ended')!;
    expect(ended.data).toMatchObject({ outcome: 'publicity', winners: ['Bidder 3'] });
    const again = await request(platform.app).get(`${scene.path}/auction/events`).set('Last-Event-ID', String(ended.id));
    expect(again.status).toBe(204);
    await request(platform.app).get(`${scene.path}/auction/events`).set('Last-Event-ID', 'abc').expect(400);
  });
});
