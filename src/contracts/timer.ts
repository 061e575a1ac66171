import { CalendarYearMissingError, WorkingCalendar } from '../platform/calendar/calendar.js';
import type { Executor } from '../platform/db/index.js';
import { isoShanghai, shanghaiDate, shanghaiInstant, type CalendarDate } from '../platform/time.js';
import { DEADLINE_TIME } from '../projects/service.js';
import type { ContractRow } from './repository.js';

export interface ServiceTimer {
  signedOn: CalendarDate;
  promisedDays: number;
  /** The promised working day; delivery is due before 17:00 of it. Null while the year's calendar is missing. */
  dueOn: CalendarDate | null;
  dueAt: string | null;
  /** Working days from the signed date to the owner's acceptance, or to today while running. */
  elapsedWorkingDays: number | null;
  running: boolean;
  stoppedOn: CalendarDate | null;
  /** Delivery after the due instant, or no delivery by it; null while it cannot be judged yet. */
  overdue: boolean | null;
}

const unlessYearMissing = <T>(promise: Promise<T>): Promise<T | null> =>
  promise.catch((error: unknown) => {
    if (error instanceof CalendarYearMissingError) return null;
    throw error;
  });

/** When delivery of a contract is due: 17:00 Shanghai on the promised working day after signing. */
export async function deliveryDueAt(db: Executor, contract: Pick<ContractRow, 'signedOn' | 'promisedDays'>): Promise<Date> {
  const dueOn = await new WorkingCalendar(db).addWorkingDays(contract.signedOn, contract.promisedDays);
  return shanghaiInstant(dueOn, DEADLINE_TIME);
}

/** Delivered at or after the due instant is overdue (a deadline instant belongs to the closed side). */
export const isOverdue = (deliveredAt: Date, dueAt: Date): boolean => deliveredAt.getTime() >= dueAt.getTime();

/** The service timer (服务计时) of a contract, as the clock says now. */
export async function serviceTimer(db: Executor, contract: ContractRow, now: Date): Promise<ServiceTimer> {
  const calendar = new WorkingCalendar(db);
  const dueOn = await unlessYearMissing(calendar.addWorkingDays(contract.signedOn, contract.promisedDays));
  const dueAt = dueOn ? shanghaiInstant(dueOn, DEADLINE_TIME) : null;
  const stoppedOn = contract.completedAt ? shanghaiDate(contract.completedAt) : null;
  const until = stoppedOn ?? shanghaiDate(now);
  const elapsedWorkingDays = until < contract.signedOn ? 0 : await unlessYearMissing(calendar.workingDaysBetween(contract.signedOn, until));
  let overdue: boolean | null = null;
  if (contract.overdue) overdue = contract.overdue === 'overdue';
  else if (dueAt && contract.deliveredAt) overdue = isOverdue(contract.deliveredAt, dueAt);
  else if (dueAt) overdue = now.getTime() >= dueAt.getTime();
  return {
    signedOn: contract.signedOn,
    promisedDays: contract.promisedDays,
    dueOn,
    dueAt: dueAt ? isoShanghai(dueAt) : null,
    elapsedWorkingDays,
    running: !contract.completedAt,
    stoppedOn,
    overdue,
  };
}
