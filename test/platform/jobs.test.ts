import { randomBytes } from 'node:crypto';
import { HOUR, MINUTE, TestClock } from '../../src/platform/clock.js';
import { BullJobQueue, InProcessJobQueue, type JobQueue } from '../../src/platform/jobs/index.js';
import { Sweeper } from '../../src/platform/jobs/sweeper.js';
import { createLogger } from '../../src/platform/logging.js';

const logger = createLogger('silent');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Runner = { name: string; create(clock: TestClock): JobQueue; cleanup(queue: JobQueue): Promise<void> };

const runners: Runner[] = [
  { name: 'in-process', create: (clock) => new InProcessJobQueue(clock, logger), cleanup: (queue) => queue.close() },
  {
    name: 'bull',
    create: (clock) => new BullJobQueue(redisUrl, clock, logger, { prefix: `zjcs-test-${randomBytes(4).toString('hex')}` }),
    cleanup: async (queue) => {
      await (queue as BullJobQueue).queue.obliterate({ force: true });
      await queue.close();
    },
  },
];

describe.each(runners)('job queue: $name', (runner) => {
  let clock: TestClock;
  let queue: JobQueue;
  let ran: string[];

  beforeEach(async () => {
    clock = new TestClock('2026-11-25T09:00:00+08:00');
    queue = runner.create(clock);
    ran = [];
    queue.register<{ id: string }>('close-registration', async ({ id }) => {
      ran.push(id);
    });
  });
  afterEach(() => runner.cleanup(queue));

  it('runs a job scheduled for now', async () => {
    await queue.schedule('close-registration', { id: 'now' });
    expect(await queue.runDue()).toBe(1);
    expect(ran).toEqual(['now']);
  });

  it('holds a delayed job until the clock reaches it', async () => {
    await queue.schedule('close-registration', { id: 'later' }, { runAt: new Date(clock.now().getTime() + HOUR) });
    await queue.runDue();
    expect(ran).toEqual([]);
    clock.advance(HOUR - MINUTE);
    await queue.runDue();
    expect(ran).toEqual([]);
    clock.advance(MINUTE);
    await queue.runDue();
    expect(ran).toEqual(['later']);
  });

  it('schedules a job id only once', async () => {
    await queue.schedule('close-registration', { id: 'a' }, { jobId: 'close:1' });
    await queue.schedule('close-registration', { id: 'b' }, { jobId: 'close:1' });
    await queue.runDue();
    expect(ran).toEqual(['a']);
  });

  it('refuses a job nobody handles', async () => {
    await expect(queue.schedule('no-such-job', {})).rejects.toThrow(/No handler/);
  });
});

describe('in-process retries', () => {
  it('retries a failing handler with backoff by the clock', async () => {
    const clock = new TestClock();
    const queue = new InProcessJobQueue(clock, logger);
    let attempts = 0;
    queue.register('flaky', async () => {
      attempts += 1;
      if (attempts < 3) throw new Error('transient');
    });
    await queue.schedule('flaky', {});
    await queue.runDue();
    expect(attempts).toBe(1);
    clock.advance(1000);
    await queue.runDue();
    expect(attempts).toBe(2);
    clock.advance(2000);
    await queue.runDue();
    expect(attempts).toBe(3);
    expect(queue.pendingJobs()).toEqual([]);
  });
});

describe('sweeper', () => {
  it('runs every reconciler even when one fails, and reports counts', async () => {
    const sweeper = new Sweeper(logger);
    sweeper.add({ name: 'broken', run: async () => { throw new Error('down'); } });
    sweeper.add({ name: 'overdue-registrations', run: async () => 2 });
    expect(await sweeper.runOnce()).toEqual({ broken: -1, 'overdue-registrations': 2 });
  });
});
