import type { Clock } from '../clock.js';
import type { Logger } from '../logging.js';
import { BACKOFF_MS, MAX_ATTEMPTS, type JobHandler, type JobQueue, type ScheduleOptions } from './types.js';

interface PendingJob {
  id: string;
  name: string;
  payload: unknown;
  runAt: number;
  attempts: number;
}

/**
 * The embedded runner: jobs live in memory and run when the clock says they are due. Nothing
 * is lost by a restart because the sweeper re-derives overdue work from the database.
 */
export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly pending = new Map<string, PendingJob>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly pollMs = 1000,
  ) {}

  register<P>(name: string, handler: JobHandler<P>): void {
    this.handlers.set(name, handler as JobHandler<never>);
  }

  async schedule<P>(name: string, payload: P, options: ScheduleOptions = {}): Promise<void> {
    if (!this.handlers.has(name)) throw new Error(`No handler registered for job "${name}"`);
    const id = options.jobId ?? `auto:${this.nextId++}`;
    if (this.pending.has(id)) return;
    this.pending.set(id, {
      id,
      name,
      payload: JSON.parse(JSON.stringify(payload ?? null)),
      runAt: (options.runAt ?? this.clock.now()).getTime(),
      attempts: 0,
    });
  }

  /** Serialised: a poll tick and a test's call never run the same job twice at once. */
  runDue(): Promise<number> {
    const previous = this.running ?? Promise.resolve(0);
    const next = previous.then(() => this.runDueNow());
    this.running = next.catch(() => 0);
    return next;
  }

  private async runDueNow(): Promise<number> {
    let ran = 0;
    for (;;) {
      const now = this.clock.now().getTime();
      const due = [...this.pending.values()]
        .filter((job) => job.runAt <= now)
        .sort((a, b) => a.runAt - b.runAt);
      if (due.length === 0) return ran;
      for (const job of due) {
        this.pending.delete(job.id);
        ran += 1;
        await this.execute(job);
      }
    }
  }

  private async execute(job: PendingJob): Promise<void> {
    const handler = this.handlers.get(job.name)!;
    try {
      await handler(job.payload as never);
    } catch (error) {
      job.attempts += 1;
      this.logger.warn({ err: error, job: job.name, attempts: job.attempts }, 'job failed');
      if (job.attempts < MAX_ATTEMPTS) {
        const delay = BACKOFF_MS * 2 ** (job.attempts - 1);
        this.pending.set(job.id, { ...job, runAt: this.clock.now().getTime() + delay });
      }
    }
  }

  async start(): Promise<void> {
    this.timer ??= setInterval(() => {
      this.runDue().catch((error) => this.logger.error({ err: error }, 'job runner failed'));
    }, this.pollMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Jobs not yet run (tests and the status page read it). */
  pendingJobs(): { id: string; name: string; runAt: Date }[] {
    return [...this.pending.values()].map((job) => ({ id: job.id, name: job.name, runAt: new Date(job.runAt) }));
  }
}
