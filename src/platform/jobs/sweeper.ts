import type { Logger } from '../logging.js';

/** Finds work that is overdue by the clock (after an outage, a lost job) and does it. */
export interface Reconciler {
  name: string;
  run(): Promise<number>;
}

export class Sweeper {
  private readonly reconcilers: Reconciler[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<Record<string, number>>;

  constructor(private readonly logger: Logger) {}

  add(reconciler: Reconciler): void {
    this.reconcilers.push(reconciler);
  }

  /** One pass over every reconciler; one failing does not stop the others. */
  runOnce(): Promise<Record<string, number>> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<Record<string, number>> {
    const done: Record<string, number> = {};
    for (const reconciler of this.reconcilers) {
      try {
        done[reconciler.name] = await reconciler.run();
      } catch (error) {
        this.logger.error({ err: error, reconciler: reconciler.name }, 'sweeper step failed');
        done[reconciler.name] = -1;
      }
    }
    const total = Object.values(done).filter((count) => count > 0).length;
    if (total > 0) this.logger.info({ done }, 'sweeper reconciled overdue work');
    return done;
  }

  start(intervalSeconds: number): void {
    void this.runOnce();
    this.timer ??= setInterval(() => void this.runOnce(), intervalSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
