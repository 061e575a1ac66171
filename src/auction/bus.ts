import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { PlatformDeps } from '../platform/deps.js';
import type { AuctionEvent } from './repository.js';

type Listener = (event: AuctionEvent) => void;

/**
 * Fan-out of committed auction events to the streams this process serves. Events are stored in
 * the database first; the bus only makes delivery prompt, and a stream that missed one catches
 * up from the database (reconnect with Last-Event-ID, or its periodic check).
 */
export interface AuctionBus {
  publish(events: AuctionEvent[]): Promise<void>;
  subscribe(projectId: number, listener: Listener): () => void;
  /** Resolves once the bus receives what is published from now on. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const channel = (projectId: number) => `auction:${projectId}`;

/** One process: an EventEmitter. */
class LocalBus implements AuctionBus {
  protected readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(events: AuctionEvent[]): Promise<void> {
    for (const event of events) this.emitter.emit(channel(event.projectId), event);
  }

  subscribe(projectId: number, listener: Listener): () => void {
    this.emitter.on(channel(projectId), listener);
    return () => this.emitter.off(channel(projectId), listener);
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Several web processes: Redis pub/sub on `auction:<projectId>`; every process streams what it receives. */
class RedisBus extends LocalBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly subscribed: Promise<void>;

  constructor(url: string, onError: (error: unknown) => void) {
    super();
    this.publisher = new Redis(url, { maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(url);
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    this.subscriber.on('pmessage', (_pattern: string, name: string, message: string) => {
      this.emitter.emit(name, JSON.parse(message) as AuctionEvent);
    });
    this.subscribed = this.subscriber.psubscribe('auction:*').then(() => undefined);
  }

  override async publish(events: AuctionEvent[]): Promise<void> {
    for (const event of events) await this.publisher.publish(channel(event.projectId), JSON.stringify(event));
  }

  override ready(): Promise<void> {
    return this.subscribed;
  }

  override async close(): Promise<void> {
    await super.close();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}

// one bus per platform (keyed by its database, which copies of deps with another clock share)
const buses = new WeakMap<object, AuctionBus>();

export function auctionBus(deps: Pick<PlatformDeps, 'config' | 'database' | 'logger'>): AuctionBus {
  let bus = buses.get(deps.database);
  if (!bus) {
    bus = deps.config.redisUrl ? new RedisBus(deps.config.redisUrl, (error) => deps.logger.warn({ err: error }, 'auction bus error')) : new LocalBus();
    buses.set(deps.database, bus);
  }
  return bus;
}

export async function closeAuctionBus(deps: Pick<PlatformDeps, 'database'>): Promise<void> {
  const bus = buses.get(deps.database);
  buses.delete(deps.database);
  await bus?.close();
}

/** Publishing is best effort: the events are committed, and streams catch up from the database. */
export async function publishEvents(deps: Pick<PlatformDeps, 'config' | 'database' | 'logger'>, events: AuctionEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await auctionBus(deps).publish(events);
  } catch (error) {
    deps.logger.warn({ err: error }, 'auction events not published; streams will catch up');
  }
}
