import { eq, lt } from 'drizzle-orm';
import session from 'express-session';
import type { Clock } from '../platform/clock.js';
import type { Executor } from '../platform/db/index.js';
import { sessions } from './tables.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * Sessions in PostgreSQL through Drizzle (both modes; connect-pg-simple would need a second pg
 * pool, which on PGlite shares the one backend). Idle expiry is judged by the injected clock.
 */
export class DatabaseSessionStore extends session.Store {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {
    super();
  }

  private expiry(): Date {
    return new Date(this.clock.now().getTime() + this.idleMs);
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.db
      .select()
      .from(sessions)
      .where(eq(sessions.sid, sid))
      .then(([row]) => {
        if (!row || row.expiresAt <= this.clock.now()) return callback(undefined, null);
        callback(undefined, row.data as session.SessionData);
      }, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const values = { data, userId: data.userId ?? null, expiresAt: this.expiry() };
    this.db
      .insert(sessions)
      .values({ sid, ...values })
      .onConflictDoUpdate({ target: sessions.sid, set: values })
      .then(() => callback?.(), (error) => callback?.(error));
  }

  override touch(sid: string, _data: session.SessionData, callback?: Callback): void {
    this.db
      .update(sessions)
      .set({ expiresAt: this.expiry() })
      .where(eq(sessions.sid, sid))
      .then(() => callback?.(), (error) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.db
      .delete(sessions)
      .where(eq(sessions.sid, sid))
      .then(() => callback?.(), (error) => callback?.(error));
  }

  /** The sweeper removes expired rows. */
  async purgeExpired(): Promise<number> {
    const removed = await this.db.delete(sessions).where(lt(sessions.expiresAt, this.clock.now())).returning({ sid: sessions.sid });
    return removed.length;
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    csrfToken?: string;
    authenticatedAt?: number;
  }
}
