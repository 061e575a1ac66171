/** The only source of time. Services receive a Clock; nothing reads Date.now() directly. */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock stopped at one instant: to judge something as it stood at a deadline. */
export const clockAt = (instant: Date): Clock => ({ now: () => instant });

type ClockListener = (now: Date) => void;

/** A clock tests set and move; listeners (e.g. the in-process job runner) hear every move. */
export class TestClock implements Clock {
  private current: number;
  private readonly listeners = new Set<ClockListener>();

  constructor(start: Date | string = '2026-11-25T09:00:00+08:00') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
    for (const listener of this.listeners) listener(this.now());
  }

  advance(ms: number): void {
    this.set(new Date(this.current + ms));
  }

  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
