import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { registerDomains } from '../../src/domains.js';
import { TestClock } from '../../src/platform/clock.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import type { Database } from '../../src/platform/db/index.js';
import type { PlatformDeps } from '../../src/platform/deps.js';
import { BullJobQueue, InProcessJobQueue } from '../../src/platform/jobs/index.js';
import { Sweeper } from '../../src/platform/jobs/sweeper.js';
import { createLogger } from '../../src/platform/logging.js';
import { OwnPostgres, OwnRedis } from '../support/own-services.js';
import { aSigningKey, testConfig } from '../support/platform.js';

const logger = createLogger('silent');

/** Polls what the outside world does by itself (a server coming back), bounded. */
async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the web process when PostgreSQL goes away', () => {
  let cluster: OwnPostgres;
  let database: Database;
  let deps: PlatformDeps;
  let app: ReturnType<typeof createApp>;
  const connectionErrors: Error[] = [];

  beforeAll(async () => {
    cluster = await OwnPostgres.create();
    database = await openPostgresDatabase({ url: cluster.url, poolSize: 4, connectTimeoutMs: 1_000, onConnectionError: (error) => connectionErrors.push(error) });
    await database.migrate();
    const clock = new TestClock();
    deps = { config: testConfig(), clock, database, jobs: new InProcessJobQueue(clock, logger), sweeper: new Sweeper(logger), logger, submissionKey: randomBytes(32), auditSigningKey: aSigningKey() };
    registerDomains(deps);
    app = createApp(deps);
  });
  afterAll(async () => {
    await deps.jobs.close();
    await database.close();
    cluster.destroy();
  });

  it.each(['fast', 'immediate'] as const)('survives a %s shutdown: 503 with Retry-After while it is down, recovers by itself', async (mode) => {
    await request(app).get('/readyz').expect(200);
    // a client checked out of the pool, idle inside a transaction, when the server goes away:
    // the connection's 'error' event has no pool listener on it
    let release!: () => void;
    const held = database.transaction(async (tx) => {
      await tx.execute('select 1' as never);
      await new Promise<void>((resolve) => (release = resolve));
    }).catch((error: unknown) => error);
    await eventually(async () => release, Boolean);
    const errorsBefore = connectionErrors.length;
    cluster.stop(mode);
    await eventually(async () => connectionErrors.length, (count) => count > errorsBefore);
    release();
    expect(await held).toBeInstanceOf(Error);

    const api = await request(app).get('/api/v1/projects');
    expect(api.status).toBe(503);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.headers['retry-after']).toBe('5');
    expect(api.body).toMatchObject({ status: 503, code: 'service_unavailable' });

    const page = await request(app).get('/projects').set('Accept', 'text/html');
    expect(page.status).toBe(503);
    expect(page.text).toContain('系统暂时无法访问数据库');
    const english = await request(app).get('/projects').set('Accept', 'text/html').set('Cookie', 'lang=en');
    expect(english.text).toContain('cannot reach its database');

    expect((await request(app).get('/readyz')).status).toBe(503);

    cluster.start();
    const ready = await eventually(() => request(app).get('/readyz'), (response) => response.status === 200);
    expect(ready.status).toBe(200);
    expect((await request(app).get('/api/v1/projects')).status).toBe(200);
  });
});

describe('Bull jobs when Redis goes away', () => {
  let redis: OwnRedis;
  let queue: BullJobQueue;
  const ran: string[] = [];

  beforeAll(async () => {
    redis = await OwnRedis.create();
    queue = new BullJobQueue(redis.url, new TestClock(), logger, { prefix: 'zjcs-faults' });
    queue.register<{ id: string }>('note', async ({ id }) => {
      ran.push(id);
    });
    await queue.start();
  });
  afterAll(async () => {
    await queue.close().catch(() => undefined);
    redis.stop();
  });

  it('gives up scheduling while Redis is down without throwing, and runs jobs again once it is back', async () => {
    await queue.schedule('note', { id: 'before' });
    await queue.runDue();
    expect(ran).toEqual(['before']);

    redis.stop();
    const started = Date.now();
    await expect(queue.schedule('note', { id: 'during' })).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);

    await redis.start();
    await eventually(async () => {
      await queue.schedule('note', { id: 'after' }, { jobId: 'after' });
      await queue.runDue().catch(() => 0);
      return ran;
    }, (names) => names.includes('after'));
    expect(ran).toContain('after');
  });
});
