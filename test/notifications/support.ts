import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { TestClock } from '../../src/platform/clock.js';
import { BullJobQueue, InProcessJobQueue, type JobQueue } from '../../src/platform/jobs/index.js';
import { Sweeper } from '../../src/platform/jobs/sweeper.js';
import { createLogger } from '../../src/platform/logging.js';
import { queryRows } from '../../src/platform/db/index.js';
import { createTestDatabase, testDatabaseKind } from '../support/database.js';
import { aSigningKey, assemblePlatform, testConfig, type TestPlatform } from '../support/platform.js';

/**
 * Like createTestPlatform, but on the server run with REDIS_URL set the jobs go through Bull on
 * the real Redis (a queue prefix of its own), so send and reminder jobs are tested there too.
 */
export async function aPlatformWithJobs(config: Record<string, string> = {}): Promise<TestPlatform & { jobs: JobQueue }> {
  const logger = createLogger('silent');
  const clock = new TestClock();
  const database = await createTestDatabase();
  const useBull = testDatabaseKind() === 'postgres' && Boolean(process.env.REDIS_URL);
  const jobs: JobQueue = useBull
    ? new BullJobQueue(process.env.REDIS_URL!, clock, logger, { prefix: `zjcs-test-${randomBytes(4).toString('hex')}` })
    : new InProcessJobQueue(clock, logger);
  const deps = { config: testConfig(config), clock, database, jobs, sweeper: new Sweeper(logger), logger, submissionKey: randomBytes(32), auditSigningKey: aSigningKey() };
  return assemblePlatform(deps, async () => {
    if (jobs instanceof BullJobQueue) await jobs.queue.obliterate({ force: true });
  });
}

export async function rows<T>(platform: TestPlatform, query: ReturnType<typeof sql>): Promise<T[]> {
  return queryRows<T>(platform.database.db, query);
}
