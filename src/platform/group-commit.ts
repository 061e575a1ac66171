/** What one request of a batch came to: its value, or the error it is refused with. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<I, R> {
  item: I;
  settle: (outcome: Outcome<R>) => void;
}

interface Lane<I, R> {
  waiting: Waiting<I, R>[];
  running: number;
}

export interface GroupCommitOptions {
  /** The most requests one batch takes. */
  maxBatch?: number;
  /** How many batches of one key may be committing at once. */
  concurrency?: number;
}

/**
 * Group commit: requests for the same key that arrive while that key's batches are being
 * committed wait and go together in the next batch, one transaction for all of them. A request
 * that finds a free slot goes at once, so nothing waits on a timer. `commit` answers each request
 * of its batch; if it throws instead, each request of the batch is tried again alone, so one bad
 * request can never sink the others.
 */
export class GroupCommit<K, I, R> {
  private readonly lanes = new Map<K, Lane<I, R>>();
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(
    private readonly commit: (key: K, items: I[]) => Promise<Outcome<R>[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.concurrency = options.concurrency ?? 1;
  }

  submit(key: K, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { waiting: [], running: 0 };
        this.lanes.set(key, lane);
      }
      lane.waiting.push({ item, settle: (outcome) => (outcome.ok ? resolve(outcome.value) : reject(outcome.error)) });
      this.pump(key, lane);
    });
  }

  private pump(key: K, lane: Lane<I, R>): void {
    while (lane.running < this.concurrency && lane.waiting.length > 0) {
      const batch = lane.waiting.splice(0, this.maxBatch);
      lane.running += 1;
      void this.commitOrSplit(key, batch).then((outcomes) => {
        batch.forEach((waiting, index) => waiting.settle(outcomes[index]!));
        lane.running -= 1;
        if (lane.running === 0 && lane.waiting.length === 0) this.lanes.delete(key);
        else this.pump(key, lane);
      });
    }
  }

  private async commitOrSplit(key: K, batch: Waiting<I, R>[]): Promise<Outcome<R>[]> {
    try {
      return await this.commit(key, batch.map((waiting) => waiting.item));
    } catch (error) {
      if (batch.length === 1) return [{ ok: false, error }];
      const outcomes: Outcome<R>[] = [];
      for (const waiting of batch) outcomes.push(...(await this.commitOrSplit(key, [waiting])));
      return outcomes;
    }
  }
}
