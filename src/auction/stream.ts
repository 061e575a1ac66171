import type { Request, Response } from 'express';
import type { PlatformDeps } from '../platform/deps.js';
import { notFound } from '../platform/errors.js';
import { settleProject } from '../selection/settle.js';
import { auctionBus } from './bus.js';
import * as repository from './repository.js';

/** How often streams get a heartbeat and their auction is settled and re-read (tests shorten it). */
export const streamSettings = { heartbeatMs: 15_000 };

type Stream = { write(event: repository.AuctionEvent): void; heartbeat(): void };

/**
 * One timer per watched auction in this process, however many streams watch it: at each beat it
 * settles the auction (so a turn that timed out is announced even if no job ran), reads events
 * the bus did not bring, and sends every stream a heartbeat. Per-stream polling would cost a
 * thousand queries a beat for a thousand watchers.
 */
class Watch {
  readonly streams = new Set<Stream>();
  private timer?: NodeJS.Timeout;
  private lastSeq = 0;
  private beating = false;

  constructor(private readonly deps: PlatformDeps, private readonly projectId: number, private readonly heartbeatMs: number, private readonly onIdle: () => void) {}

  add(stream: Stream, fromSeq: number) {
    this.lastSeq = Math.max(this.lastSeq, fromSeq);
    this.streams.add(stream);
    if (!this.timer) {
      this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
      this.timer.unref();
    }
    return () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
        this.onIdle();
      }
    };
  }

  private async beat() {
    if (this.beating) return;
    this.beating = true;
    try {
      for (const stream of this.streams) stream.heartbeat();
      await settleProject(this.deps, this.projectId);
      const events = await repository.eventsAfter(this.deps.database.db, this.projectId, this.lastSeq);
      for (const event of events) {
        this.lastSeq = event.seq;
        for (const stream of [...this.streams]) stream.write(event);
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'auction stream catch-up failed');
    } finally {
      this.beating = false;
    }
  }
}

const watches = new WeakMap<object, Map<number, Watch>>();

function watchFor(deps: PlatformDeps, projectId: number, heartbeatMs: number): Watch {
  let byProject = watches.get(deps.database);
  if (!byProject) watches.set(deps.database, (byProject = new Map()));
  let watch = byProject.get(projectId);
  if (!watch) {
    const map = byProject;
    watch = new Watch(deps, projectId, heartbeatMs, () => map.delete(projectId));
    byProject.set(projectId, watch);
  }
  return watch;
}

const format = (event: repository.AuctionEvent) =>
  `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ seq: event.seq, type: event.type, at: event.at, ...event.data })}\n\n`;

/**
 * Server-Sent Events of one auction. Missed events (after `Last-Event-ID`) are replayed from the
 * database, then live ones follow from the bus and the watch; ids only grow, so a duplicate is
 * never written. The stream ends after the `ended` event; once an auction is over and nothing is
 * left to replay, the answer is 204, which tells EventSource to stop reconnecting.
 */
export async function streamAuctionEvents(deps: PlatformDeps, req: Request, res: Response, projectId: number, lastEventId: number, heartbeatMs = streamSettings.heartbeatMs): Promise<void> {
  const project = await settleProject(deps, projectId);
  if (!project || project.status === 'draft' || project.method !== 'bidding') throw notFound('Auction');
  const db = deps.database.db;
  const bus = auctionBus(deps);
  await bus.ready();
  let last = lastEventId;
  let buffered: repository.AuctionEvent[] | undefined = [];
  let ended = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const stream: Stream = {
    write: (event) => {
      if (ended || event.seq <= last) return;
      last = event.seq;
      res.write(format(event));
      if (event.type === 'ended') finish();
    },
    heartbeat: () => {
      if (!ended) res.write(': heartbeat\n\n');
    },
  };
  const unsubscribe = bus.subscribe(projectId, (event) => (buffered ? buffered.push(event) : stream.write(event)));
  const watching: { stop?: () => void } = {};
  const finish = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    watching.stop?.();
    res.end();
    resolveDone();
  };
  req.on('close', finish);

  const missed = await repository.eventsAfter(db, projectId, last);
  if (missed.length === 0 && project.status !== 'auction' && (await repository.findAuction(db, projectId))?.endedAt) {
    ended = true;
    unsubscribe();
    res.status(204).end();
    return;
  }
  res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  res.write('retry: 3000\n\n');
  for (const event of missed) stream.write(event);
  const early = buffered;
  buffered = undefined;
  for (const event of early) stream.write(event);
  if (ended) return;
  watching.stop = watchFor(deps, projectId, heartbeatMs).add(stream, last);
  await done;
}
