import { appendAudit } from '../../audit/service.js';
import type { Clock } from '../clock.js';
import type { Database, Executor } from '../db/index.js';
import { AppError, badRequest } from '../errors.js';
import { addCalendarDays, isWeekend, type CalendarDate } from '../time.js';
import { packageCoversYear, packageDay } from './official.js';
import * as repository from './repository.js';

export class CalendarYearMissingError extends AppError {
  constructor(readonly year: number) {
    super(
      409,
      'calendar_year_missing',
      `No official holiday arrangement is known for ${year}; staff must enter it before working days in ${year} can be counted`,
    );
    this.params = { year };
  }
}

type YearRule = (day: CalendarDate) => boolean;

/**
 * Working days (工作日) under the official holiday calendar with make-up days (调休). A year
 * staff entered overrides the package; a year neither knows is an error, never a guess.
 */
export class WorkingCalendar {
  constructor(private readonly db: Executor) {}

  async isWorkingDay(day: CalendarDate): Promise<boolean> {
    const rule = await this.ruleFor(Number(day.slice(0, 4)), new Map());
    return rule(day);
  }

  /** The `count`-th working day strictly after `from` (count ≥ 1). */
  async addWorkingDays(from: CalendarDate, count: number): Promise<CalendarDate> {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    const rules = new Map<number, YearRule>();
    let day = from;
    let remaining = count;
    while (remaining > 0) {
      day = addCalendarDays(day, 1);
      const rule = await this.ruleFor(Number(day.slice(0, 4)), rules);
      if (rule(day)) remaining -= 1;
    }
    return day;
  }

  /** Working days in (from, to]: how long something took, e.g. overdue delivery. */
  async workingDaysBetween(from: CalendarDate, to: CalendarDate): Promise<number> {
    const rules = new Map<number, YearRule>();
    let count = 0;
    for (let day = addCalendarDays(from, 1); day <= to; day = addCalendarDays(day, 1)) {
      const rule = await this.ruleFor(Number(day.slice(0, 4)), rules);
      if (rule(day)) count += 1;
    }
    return count;
  }

  private async ruleFor(year: number, cache: Map<number, YearRule>): Promise<YearRule> {
    const cached = cache.get(year);
    if (cached) return cached;
    const entered = await repository.findEnteredYear(this.db, year);
    let rule: YearRule;
    if (entered) {
      const exceptions = new Map(entered.days.map((day) => [day.day, day.isWorkingDay]));
      rule = (day) => exceptions.get(day) ?? !isWeekend(day);
    } else if (packageCoversYear(year)) {
      rule = (day) => packageDay(day).isWorkingDay;
    } else {
      throw new CalendarYearMissingError(year);
    }
    cache.set(year, rule);
    return rule;
  }
}

export interface YearArrangement {
  year: number;
  reference: string;
  days: { day: CalendarDate; isWorkingDay: boolean; name: string }[];
}

/** Staff enter an announced year (e.g. 国务院办公厅关于2027年部分节假日安排的通知). */
export async function enterYearArrangement(
  deps: { database: Database; clock: Clock },
  actor: string,
  arrangement: YearArrangement,
): Promise<void> {
  const seen = new Set<string>();
  for (const day of arrangement.days) {
    if (Number(day.day.slice(0, 4)) !== arrangement.year) {
      throw badRequest('day_outside_year', `${day.day} is not in ${arrangement.year}`).with({ day: day.day, year: arrangement.year });
    }
    if (seen.has(day.day)) throw badRequest('duplicate_day', `${day.day} is listed twice`).with({ day: day.day });
    seen.add(day.day);
  }
  await deps.database.transaction(async (tx) => {
    await repository.replaceEnteredYear(tx, {
      ...arrangement,
      enteredBy: actor,
      enteredAt: deps.clock.now(),
    });
    await appendAudit(tx, deps.clock, {
      actor,
      action: 'calendar.year_entered',
      entityType: 'calendar_year',
      entityId: arrangement.year,
      data: arrangement,
    });
  });
}

export const listEnteredYears = repository.listEnteredYears;
export const findEnteredYear = repository.findEnteredYear;
