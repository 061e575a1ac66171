import { boolean, date, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Small facts about this installation, e.g. when the demo data was loaded. */
export const appMeta = pgTable('app_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** A year whose official holidays staff entered (overrides the calendar package for that year). */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  reference: text('reference').notNull(),
  enteredBy: text('entered_by').notNull(),
  enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
});

/** Exceptions to the weekday rule in an entered year: holidays and make-up working days (调休). */
export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  year: integer('year')
    .notNull()
    .references(() => calendarYears.year, { onDelete: 'cascade' }),
  isWorkingDay: boolean('is_working_day').notNull(),
  name: text('name').notNull(),
});
