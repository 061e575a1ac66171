import { sql } from 'drizzle-orm';
import { summariesOf } from '../credit/service.js';
import { GRADES } from '../credit/score.js';
import { activeFirmIds } from '../blacklist/repository.js';
import { WorkingCalendar } from '../platform/calendar/calendar.js';
import type { Clock } from '../platform/clock.js';
import { queryRows, type Executor } from '../platform/db/index.js';
import { participantsPublicSql } from '../projects/repository.js';
import { shanghaiDate } from '../platform/time.js';

/**
 * Public statistics, computed with SQL aggregates over published projects. Ratios are kept
 * exact: counts and fen are integers, percentages are rounded half-up from integer arithmetic
 * and given as strings with two decimals ("12.50").
 */

/** Statuses in which a project has a published result (a winner and, for priced methods, its price). */
export const RESULT_STATUSES = ['publicity', 'awarded', 'contracted', 'delivered', 'completed'] as const;

const resultStatuses = sql.join(RESULT_STATUSES.map((status) => sql`${status}`), sql`, `);

/** `numerator / denominator` as a percentage with two decimals, rounded half-up, exactly. */
export function percent(numerator: number | bigint, denominator: number | bigint): string | null {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d === 0n) return null;
  const negative = n < 0n !== d < 0n && n !== 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const hundredths = (a * 10_000n * 2n + b) / (2n * b);
  const text = `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** Median of integers; the mean of the two middle values for an even count (a .5 at most). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Mean with two decimals, rounded half-up, as a string. */
export function mean(values: readonly number[]): string | null {
  if (values.length === 0) return null;
  const total = values.reduce((sum, value) => sum + value, 0);
  return percent(total, values.length * 100);
}

async function countsBy(db: Executor, column: 'method' | 'status') {
  const rows = await queryRows<{ key: string; count: number }>(
    db,
    sql`select ${sql.identifier(column)} as key, count(*)::int as count from projects where status <> 'draft' group by 1 order by 1`,
  );
  return rows.map((row) => ({ key: row.key, count: Number(row.count) }));
}

/**
 * The winning price: the first winner's quote in the published ranking. Methods without prices
 * (lottery, direct) have none and stay out of the savings.
 */
async function savings(db: Executor) {
  const rows = await queryRows<{ method: string; projects: number; budget: string; winning: string }>(
    db,
    sql`select method, count(*)::int as projects, sum(budget_fen)::text as budget, sum(winning)::text as winning
        from (
          select p.method, p.budget_fen,
                 (select (e->>'amountFen')::bigint from jsonb_array_elements(p.result->'ranking') e
                  where e->>'firmId' = p.result->'winners'->>0 and e ? 'amountFen' limit 1) as winning
          from projects p
          where p.status in (${resultStatuses}) and jsonb_typeof(p.result->'ranking') = 'array'
        ) priced
        where winning is not null
        group by method order by method`,
  );
  const byMethod = rows.map((row) => {
    const budgetFen = BigInt(row.budget);
    const winningFen = BigInt(row.winning);
    return {
      method: row.method,
      projects: Number(row.projects),
      budgetFen: Number(budgetFen),
      winningFen: Number(winningFen),
      savingsFen: Number(budgetFen - winningFen),
      savingsPercent: percent(budgetFen - winningFen, budgetFen),
    };
  });
  const budgetFen = byMethod.reduce((sum, row) => sum + BigInt(row.budgetFen), 0n);
  const winningFen = byMethod.reduce((sum, row) => sum + BigInt(row.winningFen), 0n);
  return {
    total: {
      projects: byMethod.reduce((sum, row) => sum + row.projects, 0),
      budgetFen: Number(budgetFen),
      winningFen: Number(winningFen),
      savingsFen: Number(budgetFen - winningFen),
      savingsPercent: percent(budgetFen - winningFen, budgetFen),
    },
    byMethod,
  };
}

/** Working days from publication to the published result, per project; years without a calendar are skipped. */
async function timeToAward(db: Executor) {
  const rows = await queryRows<{ method: string; published_at: Date | string; result_at: string }>(
    db,
    sql`select method, published_at, result->>'publishedAt' as result_at from projects
        where status in (${resultStatuses}) and published_at is not null and result ? 'publishedAt'`,
  );
  const calendar = new WorkingCalendar(db);
  const byMethod = new Map<string, number[]>();
  let skipped = 0;
  for (const row of rows) {
    try {
      const days = await calendar.workingDaysBetween(shanghaiDate(new Date(row.published_at)), shanghaiDate(new Date(row.result_at)));
      byMethod.set(row.method, [...(byMethod.get(row.method) ?? []), days]);
    } catch {
      skipped += 1;
    }
  }
  const all = [...byMethod.values()].flat();
  return {
    projects: all.length,
    medianWorkingDays: median(all),
    byMethod: [...byMethod].sort(([a], [b]) => a.localeCompare(b)).map(([method, days]) => ({ method, projects: days.length, medianWorkingDays: median(days) })),
    skippedWithoutCalendar: skipped,
  };
}

/** Registrants per project once registration has closed and, for a sealed method, the quotes are open (withdrawn registrations do not count). */
async function competition(db: Executor) {
  const rows = await queryRows<{ method: string; registrants: number }>(
    db,
    sql`select p.method, count(r.id) filter (where r.status <> 'withdrawn')::int as registrants
        from projects p left join registrations r on r.project_id = p.id
        where p.method <> 'direct' and p.status not in ('draft', 'registering', 'cancelled') and ${participantsPublicSql('p')}
        group by p.id, p.method`,
  );
  const counts = rows.map((row) => Number(row.registrants));
  const byMethod = new Map<string, number[]>();
  for (const row of rows) byMethod.set(row.method, [...(byMethod.get(row.method) ?? []), Number(row.registrants)]);
  return {
    projects: counts.length,
    meanRegistrants: mean(counts),
    medianRegistrants: median(counts),
    byMethod: [...byMethod].sort(([a], [b]) => a.localeCompare(b)).map(([method, values]) => ({ method, projects: values.length, meanRegistrants: mean(values), medianRegistrants: median(values) })),
  };
}

/** Grades of admitted firms now; a blacklisted firm counts as blacklisted whatever its score. */
async function creditGrades(db: Executor, at: Date) {
  const firms = await queryRows<{ id: number }>(db, sql`select id from organizations where kind = 'agency' and status = 'admitted' order by id`);
  const ids = firms.map((firm) => Number(firm.id));
  const summaries = await summariesOf(db, ids, at);
  const blacklisted = new Set(await activeFirmIds(db, at));
  const counts = new Map<string, number>([...GRADES, 'blacklisted'].map((grade) => [grade, 0]));
  for (const id of ids) {
    const key = blacklisted.has(id) ? 'blacklisted' : summaries.get(id)!.grade;
    counts.set(key, counts.get(key)! + 1);
  }
  return { firms: ids.length, grades: [...counts].map(([grade, count]) => ({ grade, count })) };
}

/** On-time delivery of completed contracts, as judged at the owner's acceptance against the promised working days. */
async function onTimeDelivery(db: Executor) {
  const [row] = await queryRows<{ on_time: number; overdue: number }>(
    db,
    sql`select count(*) filter (where overdue = 'on_time')::int as on_time,
               count(*) filter (where overdue = 'overdue')::int as overdue
        from contracts where completed_at is not null`,
  );
  const onTime = Number(row?.on_time ?? 0);
  const overdue = Number(row?.overdue ?? 0);
  return { deliveries: onTime + overdue, onTime, overdue, onTimePercent: percent(onTime, onTime + overdue) };
}

/**
 * Owners' answers to firms' questions (答疑澄清): questions still within their answer time are
 * left out; a late answer counts as answered but not on time.
 */
async function questionReplies(db: Executor, at: Date) {
  const rows = await queryRows<{ owner_id: number; owner_name: string; on_time: number; late: number; unanswered: number; pending: number }>(
    db,
    sql`select p.owner_id, o.name as owner_name,
               count(*) filter (where q.answered_at is not null and q.answered_at <= q.answer_due_at)::int as on_time,
               count(*) filter (where q.answered_at is not null and q.answered_at > q.answer_due_at)::int as late,
               count(*) filter (where q.answered_at is null and q.answer_due_at <= ${at.toISOString()}::timestamptz)::int as unanswered,
               count(*) filter (where q.answered_at is null and q.answer_due_at > ${at.toISOString()}::timestamptz)::int as pending
        from project_questions q join projects p on p.id = q.project_id join organizations o on o.id = p.owner_id
        group by p.owner_id, o.name order by o.name`,
  );
  const present = (counts: { onTime: number; late: number; unanswered: number; pending: number }) => {
    const due = counts.onTime + counts.late + counts.unanswered;
    return { ...counts, due, replyPercent: percent(counts.onTime + counts.late, due), onTimePercent: percent(counts.onTime, due) };
  };
  const byOwner = rows.map((row) => ({
    ownerId: Number(row.owner_id),
    ownerName: row.owner_name,
    ...present({ onTime: Number(row.on_time), late: Number(row.late), unanswered: Number(row.unanswered), pending: Number(row.pending) }),
  }));
  const sum = (key: 'onTime' | 'late' | 'unanswered' | 'pending') => byOwner.reduce((total, row) => total + row[key], 0);
  return { total: present({ onTime: sum('onTime'), late: sum('late'), unanswered: sum('unanswered'), pending: sum('pending') }), byOwner };
}

export async function computeStatistics(db: Executor, clock: Clock) {
  const at = clock.now();
  return {
    generatedAt: at.toISOString(),
    projectsByMethod: await countsBy(db, 'method'),
    projectsByStatus: await countsBy(db, 'status'),
    savings: await savings(db),
    timeToAward: await timeToAward(db),
    competition: await competition(db),
    creditGrades: await creditGrades(db, at),
    onTimeDelivery: await onTimeDelivery(db),
    questionReplies: await questionReplies(db, at),
  };
}

export type Statistics = Awaited<ReturnType<typeof computeStatistics>>;
