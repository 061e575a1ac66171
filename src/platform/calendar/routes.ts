import { z } from 'zod';
import { actorOf } from '../http/access.js';
import type { PlatformDeps } from '../deps.js';
import type { RouteTable } from '../http/routes.js';
import { isCalendarDate } from '../time.js';
import { enterYearArrangement, findEnteredYear, WorkingCalendar } from './calendar.js';
import { notFound } from '../errors.js';
import { text } from '../text.js';

const calendarDate = text().refine(isCalendarDate, 'must be a date YYYY-MM-DD');

export const yearArrangementSchema = z.object({
  reference: text().trim().min(4).max(500).describe('The notice it comes from, e.g. 国办发明电〔2026〕x号'),
  days: z
    .array(
      z.object({
        day: calendarDate,
        isWorkingDay: z.boolean().describe('false: holiday; true: make-up working day (调休上班)'),
        name: text().trim().min(1).max(50),
      }),
    )
    .max(120),
});

const enteredYearResponse = yearArrangementSchema.extend({
  year: z.number().int(),
  enteredBy: text(),
  enteredAt: text().describe('UTC, e.g. 2026-11-20T02:00:00.000Z'),
});

const workingDaysResponse = z.object({
  date: calendarDate,
  isWorkingDay: z.boolean(),
  add: z.number().int().optional().describe('Only when add was asked'),
  result: calendarDate.optional().describe('The add-th working day after date; only when add was asked'),
});

const yearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export function registerCalendarRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.api({
    method: 'get',
    path: '/calendar/working-days',
    access: 'public',
    summary: 'Is a date a working day; and the date N working days after it',
    tags: ['calendar'],
    query: z.object({ from: calendarDate, add: z.coerce.number().int().min(1).max(365).optional() }),
    response: { status: 200, description: 'Working-day facts', schema: workingDaysResponse },
    errors: [409],
    handler: async ({ query }) => {
      const calendar = new WorkingCalendar(deps.database.db);
      return {
        date: query.from,
        isWorkingDay: await calendar.isWorkingDay(query.from),
        ...(query.add ? { add: query.add, result: await calendar.addWorkingDays(query.from, query.add) } : {}),
      };
    },
  });

  routes.api({
    method: 'get',
    path: '/calendar/years/:year',
    access: 'public',
    summary: 'A holiday arrangement entered by staff',
    tags: ['calendar'],
    params: yearParams,
    response: { status: 200, description: 'The entered year', schema: enteredYearResponse },
    handler: async ({ params }) => {
      const entered = await findEnteredYear(deps.database.db, params.year);
      if (!entered) throw notFound(`Holiday arrangement for ${params.year}`);
      return entered;
    },
  });

  routes.api({
    method: 'put',
    path: '/calendar/years/:year',
    access: ['staff', 'admin'],
    summary: "Enter a year's official holidays and make-up working days (replaces that year)",
    tags: ['calendar'],
    params: yearParams,
    body: yearArrangementSchema,
    response: { status: 200, description: 'Stored and audited', schema: enteredYearResponse },
    handler: async ({ params, body, user }) => {
      await enterYearArrangement(deps, actorOf(user), { year: params.year, ...body });
      return findEnteredYear(deps.database.db, params.year);
    },
  });
}
