import Bull from 'bull';
import type { Clock } from '../clock.js';
import type { Logger } from '../logging.js';
import { BACKOFF_MS, MAX_ATTEMPTS, type JobHandler, type JobQueue, type ScheduleOptions } from './types.js';

interface JobData {
  payload: unknown;
  runAt: number;
}

const QUEUE_NAME = 'marketplace';
const SCHEDULE_TIMEOUT_MS = 2_000;

/**
 * Bull on Redis: delayed jobs survive restarts and are shared by every web and worker process.
 * The delay comes from the injected clock; runDue() promotes jobs the clock says are due, so a
 * test (or a clock that jumped) never waits for Redis' own timer.
 */
export class BullJobQueue implements JobQueue {
  readonly kind = 'bull' as const;
  readonly queue: Bull.Queue<JobData>;
  private readonly handlers = new Map<string, JobHandler<never>>();
  private processing = false;

  constructor(
    redisUrl: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: { prefix?: string; concurrency?: number } = {},
  ) {
    this.queue = new Bull<JobData>(QUEUE_NAME, redisUrl, { prefix: options.prefix ?? 'zjcs' });
    this.concurrency = options.concurrency ?? 4;
    this.queue.on('error', (error) => this.logger.error({ err: error }, 'job queue error'));
    this.queue.on('failed', (job, error) =>
      this.logger.warn({ err: error, job: job.name, attempts: job.attemptsMade }, 'job failed'),
    );
  }

  private readonly concurrency: number;

  register<P>(name: string, handler: JobHandler<P>): void {
    this.handlers.set(name, handler as JobHandler<never>);
  }

  /**
   * A job only makes something happen sooner (the sweeper and read-time checks do it anyway), so
   * while Redis is away scheduling gives up after a moment instead of failing or holding the
   * command that has already committed.
   */
  async schedule<P>(name: string, payload: P, options: ScheduleOptions = {}): Promise<void> {
    if (!this.handlers.has(name)) throw new Error(`No handler registered for job "${name}"`);
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), SCHEDULE_TIMEOUT_MS);
    });
    try {
      const outcome = await Promise.race([this.add(name, payload, options), givenUp]);
      if (outcome === 'timeout') this.logger.warn({ job: name, jobId: options.jobId }, 'job not scheduled: Redis did not answer; the sweeper will catch up');
    } catch (error) {
      this.logger.warn({ err: error, job: name, jobId: options.jobId }, 'job not scheduled; the sweeper will catch up');
    } finally {
      clearTimeout(timer);
    }
  }

  private async add<P>(name: string, payload: P, options: ScheduleOptions): Promise<void> {
    const runAt = (options.runAt ?? this.clock.now()).getTime();
    await this.queue.add(
      name,
      { payload: JSON.parse(JSON.stringify(payload ?? null)), runAt },
      {
        jobId: options.jobId,
        delay: Math.max(0, runAt - this.clock.now().getTime()),
        attempts: MAX_ATTEMPTS,
        backoff: { type: 'exponential', delay: BACKOFF_MS },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    );
  }

  async start(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    void this.queue.process('*', this.concurrency, async (job) => {
      const handler = this.handlers.get(job.name);
      if (!handler) throw new Error(`No handler registered for job "${job.name}"`);
      await handler(job.data.payload as never);
    });
    await this.queue.isReady();
  }

  async runDue(): Promise<number> {
    await this.start();
    const now = this.clock.now().getTime();
    const delayed = await this.queue.getDelayed();
    const due = delayed.filter((job) => job.data.runAt <= now);
    await Promise.all(due.map((job) => job.promote()));
    const queued = (await this.queue.getWaitingCount()) + (await this.queue.getActiveCount());
    // Wait for the workers to drain what is due. Polling Redis is fine here: runDue is for
    // tests and catch-up, never a request path.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const busy = (await this.queue.getWaitingCount()) + (await this.queue.getActiveCount());
      if (busy === 0) return queued;
      if (Date.now() > deadline) throw new Error('jobs did not finish within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
