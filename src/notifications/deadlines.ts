import { inArray } from 'drizzle-orm';
import { users } from '../auth/tables.js';
import { findOrganizationsByIds } from '../projects/repository.js';
import { WorkingCalendar } from '../platform/calendar/calendar.js';
import { HOUR } from '../platform/clock.js';
import type { Executor } from '../platform/db/index.js';
import type { PlatformDeps } from '../platform/deps.js';
import { addCalendarDays, isoShanghai, isWeekend, shanghaiDate, shanghaiInstant, type CalendarDate } from '../platform/time.js';
import { notify } from './service.js';

/** A deadline someone must meet, still open (the step is not done). */
export interface Deadline {
  projectId: number;
  projectTitle: string;
  kind: string;
  /** Tells apart several deadlines of one kind in a project (a question, an offer). */
  ref?: string | number;
  at: Date;
  /** Who is reminded, and who must act (shown on the staff dashboard). */
  recipients: { userIds?: number[]; organizationIds?: number[] };
  /**
   * A sealed project's participants: reminded like the recipients, but never shown on the
   * dashboard, and their reminders (the recipients' too) kept out of the outbox until the opening.
   */
  sealed?: { projectId: number; organizationIds: number[] };
}

/** Lists the open deadlines with `from <= at < to`. */
export interface DeadlineSource {
  kind: string;
  pending(db: Executor, window: { from: Date; to: Date }): Promise<Deadline[]>;
}

/** Reminders go out this long before each deadline (latest-due lead only, once each). */
export const REMINDER_LEADS_MS = [24 * HOUR, 2 * HOUR] as const;
/** "Near" on the dashboard: within the next this many working days. */
export const NEAR_WORKING_DAYS = 2;
const REMINDER_JOB = 'notification.reminders';
const OVERDUE_LOOKBACK_MS = 366 * 24 * HOUR;

const sources = new Map<string, DeadlineSource>();

/** Domains plug their deadlines in here; the same kind registered twice replaces the first. */
export function registerDeadlineSource(source: DeadlineSource): void {
  sources.set(source.kind, source);
}

async function pendingDeadlines(db: Executor, from: Date, to: Date): Promise<Deadline[]> {
  const all: Deadline[] = [];
  for (const source of sources.values()) all.push(...(await source.pending(db, { from, to })));
  return all.sort((a, b) => a.at.getTime() - b.at.getTime() || a.projectId - b.projectId);
}

const KIND_WORDS: Record<string, string> = {
  registration_close: '报名截止',
  submission_close: '报价（响应文件）提交截止（已提交的无需重复提交）',
  question_answer: '答疑回复期限',
  award_response: '中选确认期限',
  delivery_due: '服务成果交付期限',
  objection_decision: '公示期结束（异议待处理）',
};

/**
 * Sends the reminder whose lead has come for every open deadline within the longest lead.
 * A deadline missed by a late sweep gets only its latest-due lead, never a stale 24 h one.
 */
export async function sendDueReminders(deps: PlatformDeps): Promise<number> {
  const now = deps.clock.now();
  const longest = Math.max(...REMINDER_LEADS_MS);
  const deadlines = await pendingDeadlines(deps.database.db, new Date(now.getTime() + 1), new Date(now.getTime() + longest + 1));
  let sent = 0;
  for (const deadline of deadlines) {
    const left = deadline.at.getTime() - now.getTime();
    const lead = Math.min(...REMINDER_LEADS_MS.filter((l) => l >= left));
    const hours = lead / HOUR;
    const what = KIND_WORDS[deadline.kind] ?? deadline.kind;
    const created = await deps.database.transaction((tx) =>
      notify(tx, deps, {
        ...deadline.recipients,
        ...(deadline.sealed ? { organizationIds: [...(deadline.recipients.organizationIds ?? []), ...deadline.sealed.organizationIds], sealedProjectId: deadline.sealed.projectId } : {}),
        kind: `reminder.${deadline.kind}`,
        subject: `提醒：「${deadline.projectTitle}」${what}还有 ${hours} 小时`,
        body: `「${deadline.projectTitle}」的${what}为 ${isoShanghai(deadline.at).slice(0, 16).replace('T', ' ')}（北京时间），请及时办理。`,
        link: `/projects/${deadline.projectId}`,
        dedupeKey: `reminder:${deadline.kind}:${deadline.projectId}:${deadline.ref ?? ''}:${deadline.at.getTime()}:${hours}h`,
      }),
    );
    sent += created.notificationIds.length;
  }
  return sent;
}

/** Schedules the job at the next instant a lead comes due (the sweeper catches later changes). */
export async function scheduleNextReminder(deps: PlatformDeps): Promise<void> {
  const now = deps.clock.now().getTime();
  const longest = Math.max(...REMINDER_LEADS_MS);
  const upcoming = await pendingDeadlines(deps.database.db, new Date(now + 1), new Date(now + longest + 7 * 24 * HOUR));
  const instants = upcoming.flatMap((d) => REMINDER_LEADS_MS.map((lead) => d.at.getTime() - lead)).filter((t) => t > now);
  if (!instants.length) return;
  const next = Math.min(...instants);
  try {
    await deps.jobs.schedule(REMINDER_JOB, {}, { runAt: new Date(next), jobId: `${REMINDER_JOB}:${next}` });
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not schedule the next reminder; the sweeper will send it');
  }
}

export function registerReminderJob(deps: PlatformDeps): void {
  deps.jobs.register(REMINDER_JOB, async () => {
    await sendDueReminders(deps);
    await scheduleNextReminder(deps);
  });
  deps.sweeper.add({
    name: 'deadline-reminders',
    run: async () => {
      const sent = await sendDueReminders(deps);
      await scheduleNextReminder(deps);
      return sent;
    },
  });
}

/**
 * The `count`-th working day after `from`; when the official calendar of that year is not known
 * yet, weekdays stand in (a reminder or a dashboard should not fail for it).
 */
export async function addWorkingDaysLenient(db: Executor, from: CalendarDate, count: number): Promise<CalendarDate> {
  try {
    return await new WorkingCalendar(db).addWorkingDays(from, count);
  } catch {
    let day = from;
    for (let left = count; left > 0; ) {
      day = addCalendarDays(day, 1);
      if (!isWeekend(day)) left -= 1;
    }
    return day;
  }
}

/** The staff dashboard (电子监察 "零超时"): open deadlines within 2 working days, or already past. */
export async function monitorDeadlines(deps: PlatformDeps, state: 'near' | 'overdue') {
  const db = deps.database.db;
  const now = deps.clock.now();
  const horizonDay = await addWorkingDaysLenient(db, shanghaiDate(now), NEAR_WORKING_DAYS);
  const window = state === 'near'
    ? { from: new Date(now.getTime() + 1), to: shanghaiInstant(addCalendarDays(horizonDay, 1)) }
    : { from: new Date(now.getTime() - OVERDUE_LOOKBACK_MS), to: new Date(now.getTime() + 1) };
  const deadlines = await pendingDeadlines(db, window.from, window.to);
  const names = await actorNames(db, deadlines);
  return {
    state,
    asOf: isoShanghai(now),
    items: deadlines.map((d) => ({
      projectId: d.projectId,
      projectTitle: d.projectTitle,
      kind: d.kind,
      ref: d.ref === undefined ? null : String(d.ref),
      at: isoShanghai(d.at),
      hoursLeft: Math.round(((d.at.getTime() - now.getTime()) / HOUR) * 10) / 10,
      mustAct: [
        ...(d.recipients.organizationIds ?? []).map((id) => ({ organizationId: id, name: names.organizations.get(id) ?? `#${id}` })),
        ...(d.recipients.userIds ?? []).map((id) => ({ userId: id, name: names.users.get(id) ?? `#${id}` })),
      ],
      participantsSealed: Boolean(d.sealed),
    })),
  };
}

async function actorNames(db: Executor, deadlines: Deadline[]) {
  const orgIds = [...new Set(deadlines.flatMap((d) => d.recipients.organizationIds ?? []))];
  const userIds = [...new Set(deadlines.flatMap((d) => d.recipients.userIds ?? []))];
  const orgs = await findOrganizationsByIds(db, orgIds);
  const people = userIds.length ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds)) : [];
  return { organizations: new Map(orgs.map((o) => [o.id, o.name])), users: new Map(people.map((p) => [p.id, p.name])) };
}
