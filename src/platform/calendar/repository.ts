import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/index.js';
import { calendarDays, calendarYears } from '../db/tables.js';
import type { CalendarDate } from '../time.js';

export interface EnteredYear {
  year: number;
  reference: string;
  enteredBy: string;
  enteredAt: Date;
  days: { day: CalendarDate; isWorkingDay: boolean; name: string }[];
}

export async function findEnteredYear(db: Executor, year: number): Promise<EnteredYear | null> {
  const [row] = await db.select().from(calendarYears).where(eq(calendarYears.year, year));
  if (!row) return null;
  const days = await db
    .select({ day: calendarDays.day, isWorkingDay: calendarDays.isWorkingDay, name: calendarDays.name })
    .from(calendarDays)
    .where(eq(calendarDays.year, year))
    .orderBy(asc(calendarDays.day));
  return { ...row, days };
}

export async function listEnteredYears(db: Executor): Promise<number[]> {
  const rows = await db.select({ year: calendarYears.year }).from(calendarYears).orderBy(asc(calendarYears.year));
  return rows.map((row) => row.year);
}

/** Replaces a year's exceptions as one unit. */
export async function replaceEnteredYear(tx: Executor, entry: EnteredYear): Promise<void> {
  await tx.delete(calendarYears).where(eq(calendarYears.year, entry.year));
  await tx.insert(calendarYears).values({
    year: entry.year,
    reference: entry.reference,
    enteredBy: entry.enteredBy,
    enteredAt: entry.enteredAt,
  });
  if (entry.days.length > 0) {
    await tx.insert(calendarDays).values(entry.days.map((day) => ({ ...day, year: entry.year })));
  }
}
