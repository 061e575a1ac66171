/** China Standard Time has had no daylight saving since 1991: a fixed +08:00 is exact. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export type CalendarDate = string; // 'YYYY-MM-DD' in Asia/Shanghai

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(instant: Date): CalendarDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** ISO 8601 with the service's +08:00 offset, e.g. 2026-11-25T17:30:00.000+08:00. */
export function isoShanghai(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** The instant a Shanghai wall-clock time happens, e.g. (2026-11-30, '17:00'). */
export function shanghaiInstant(date: CalendarDate, time = '00:00'): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

export function isWeekend(date: CalendarDate): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

export function isCalendarDate(value: string): value is CalendarDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const beijingFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * How a person reads an instant: Beijing time, the Chinese way on zh-CN pages
 * (2026年12月11日 17:00), "11 Dec 2026, 17:00" in English.
 */
export function formatBeijing(instant: Date, language: string, withTime = true): string {
  const key = `${language}:${withTime}`;
  let format = beijingFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: language === 'en' ? 'short' : 'long',
      day: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    });
    beijingFormats.set(key, format);
  }
  return format.format(instant);
}
