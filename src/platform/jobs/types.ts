export type JobHandler<P = unknown> = (payload: P) => Promise<void>;

export interface ScheduleOptions {
  /** When the job becomes due, by the injected clock. Omitted: now. */
  runAt?: Date;
  /** Jobs with the same id are scheduled once (e.g. `close-registration:42`). */
  jobId?: string;
}

/**
 * Background work. Handlers must be idempotent: a job may run twice, late, or never (the
 * sweeper and read-time checks make sure correctness never depends on it).
 */
export interface JobQueue {
  readonly kind: 'in-process' | 'bull';
  register<P>(name: string, handler: JobHandler<P>): void;
  schedule<P>(name: string, payload: P, options?: ScheduleOptions): Promise<void>;
  /** Runs every job due by the clock and waits for them; returns how many ran. */
  runDue(): Promise<number>;
  /** Starts processing in the background (a poll timer, or Bull's workers). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export const MAX_ATTEMPTS = 5;
export const BACKOFF_MS = 1000;
