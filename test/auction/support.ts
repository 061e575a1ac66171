import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';
import type { LoggedIn } from '../support/builders.js';
import { closeAuctionBus } from '../../src/auction/bus.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

export const REGISTRATION_CLOSES = '2026-11-27T17:00:00+08:00';
export const SUBMISSION_CLOSES = '2026-12-01T17:00:00+08:00';
export const OPENING = new Date(SUBMISSION_CLOSES).getTime();

/**
 * A bidding project with `amounts.length` firms who registered and bid those initial amounts
 * (one second apart, in order; null: no bid); the clock stands at the opening, so the auction has started.
 * Budget 150,000 yuan; the default options give a minimum step of 1 % (1,500 yuan).
 */
export async function anAuction(platform: TestPlatform, amounts: (number | null)[], options: Record<string, unknown> = { turnSeconds: 60, rounds: 2 }, overrides: Record<string, unknown> = {}) {
  platform.clock.set('2026-11-25T09:00:00+08:00');
  const { service, owner, firms } = await aSelectionScene(platform, amounts.length);
  const project = await publishedProject(owner, projectTerms(service.code, { method: 'bidding', options, ...overrides }));
  for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
  platform.clock.set('2026-11-28T09:00:00+08:00');
  for (const [i, firm] of firms.entries()) {
    if (amounts[i] !== null) await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: amounts[i] }).expect(201);
    platform.clock.advance(1000);
  }
  platform.clock.set(SUBMISSION_CLOSES);
  const state = await request(platform.app).get(`/api/v1/projects/${project.id}/auction`).expect(200);
  return { service, owner, firms, project, state: state.body, path: `/api/v1/projects/${project.id}` };
}

export type Scene = Awaited<ReturnType<typeof anAuction>>;

/** The firm that bids as `label` (the state tells each firm its own label). */
export async function firmLabelled(scene: Scene, label: string) {
  for (const firm of scene.firms) {
    const state = await firm.agent.get(`${scene.path}/auction`).expect(200);
    if (state.body.you?.label === label) return firm;
  }
  throw new Error(`no firm is ${label}`);
}

/** The firm whose turn it is now. */
export async function firmOnTurn(scene: Scene) {
  const state = await scene.firms[0]!.agent.get(`${scene.path}/auction`).expect(200);
  return firmLabelled(scene, state.body.current.label);
}

export const bid = (firm: LoggedIn, scene: Scene, body: object, key?: string) =>
  post(firm, `${scene.path}/auction/bids`, body, key ? { 'Idempotency-Key': key } : {});

export interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown> & { seq: number; type: string };
}

/** An open Server-Sent Events stream read as it arrives (supertest would wait for the end). */
export function openStream(baseUrl: string, path: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  let status = 0;
  let ended = false;
  let heartbeats = 0;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());
  let buffer = '';
  const req = http.get(`${baseUrl}${path}`, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.startsWith(': heartbeat')) heartbeats += 1;
        const fields = Object.fromEntries(block.split('\n').filter((line) => line && !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
        if (fields.data) events.push({ id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data) });
      }
      wake();
    });
    res.on('end', () => {
      ended = true;
      wake();
    });
    wake();
  });
  req.on('error', () => {
    ended = true;
    wake();
  });
  const until = async (done: () => boolean, what: string, ms = 10_000) => {
    const stop = Date.now() + ms;
    while (!done()) {
      if (Date.now() > stop) throw new Error(`stream: timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return {
    events,
    status: () => status,
    heartbeats: () => heartbeats,
    waitForHeartbeat: () => until(() => heartbeats > 0, 'a heartbeat'),
    ended: () => ended,
    opened: () => until(() => status !== 0 || ended, 'the response'),
    waitFor: (predicate: (event: SseEvent) => boolean, what = 'an event') => until(() => events.some(predicate), what),
    waitForEnd: () => until(() => ended, 'the end'),
    close: () => req.destroy(),
  };
}

/** The app on a real port, for streams. */
export async function listen(platform: TestPlatform) {
  const server = http.createServer(platform.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A fresh platform served on a real port; `close` ends the server, the auction bus and the platform. */
export async function aListeningPlatform() {
  const platform = await createTestPlatform();
  const server = await listen(platform);
  const close = async () => {
    await server.close();
    await closeAuctionBus(platform);
    await platform.close();
  };
  return { platform, server, close };
}

/**
 * Another app instance (a restarted process, or a second web process) on the same server
 * database as `first`: its own clock, jobs, sweeper and auction bus.
 */
export async function anotherInstance(first: TestPlatform, config: Record<string, string> = {}): Promise<TestPlatform> {
  const { openPostgresDatabase } = await import('../../src/platform/db/postgres.js');
  const { createApp } = await import('../../src/app.js');
  const { registerDomains } = await import('../../src/domains.js');
  const { TestClock } = await import('../../src/platform/clock.js');
  const { InProcessJobQueue } = await import('../../src/platform/jobs/index.js');
  const { Sweeper } = await import('../../src/platform/jobs/sweeper.js');
  const { createLogger } = await import('../../src/platform/logging.js');
  const { testConfig } = await import('../support/platform.js');
  if (!first.database.url) throw new Error('a second instance needs the server database');
  const logger = createLogger('silent');
  const clock = new TestClock(first.clock.now());
  const database = { ...(await openPostgresDatabase({ url: first.database.url, poolSize: 10 })), url: first.database.url };
  const jobs = new InProcessJobQueue(clock, logger);
  const deps = { config: testConfig(config), clock, database, jobs, sweeper: new Sweeper(logger), logger, submissionKey: first.submissionKey, auditSigningKey: first.auditSigningKey };
  registerDomains(deps);
  const app = createApp(deps);
  return {
    ...deps,
    app,
    close: async () => {
      await jobs.close();
      await database.close();
    },
  };
}
