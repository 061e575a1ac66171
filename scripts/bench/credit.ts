/**
 * Full credit recomputation for 10,000 firms × 50 events:
 *   npx tsx scripts/bench/credit.ts [firms=10000] [eventsPerFirm=50]
 * 1. In memory, on the pure scoring function: every firm's score now, and its 12-month history
 *    (13 evaluations per firm), under two rule versions.
 * 2. SQL-backed on PGlite (in memory): the events are inserted into credit_events, then the
 *    directory's grade filter path (read every event, group by firm, score) is timed.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { organizations } from '../../src/auth/tables.js';
import { gradeFilter, monthEnds } from '../../src/credit/service.js';
import { CREDIT_KINDS, DEFAULT_VERSION, correctionsOf, gradeOf, scoreAt, type RuleVersion, type ScoredEvent } from '../../src/credit/score.js';
import { creditEvents } from '../../src/credit/tables.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { TestClock } from '../../src/platform/clock.js';
import { printTable } from './support.js';

const FIRMS = Number(process.argv[2] ?? 10_000);
const EVENTS = Number(process.argv[3] ?? 50);
const NOW = new Date('2026-11-25T09:00:00+08:00');
const DAY_MS = 24 * 60 * 60 * 1000;

// a small deterministic generator, so every run scores the same data
let state = 20261125;
const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);

const versions: RuleVersion[] = [
  DEFAULT_VERSION,
  { version: 2, effectiveFrom: new Date('2026-06-01T00:00:00+08:00'), rules: DEFAULT_VERSION.rules.map((rule) => ({ ...rule, points: Math.round(rule.points * 1.5) })) },
];

// mostly good news, as in a healthy market, so the grades spread out
const POSITIVE = ['owner_rating_good', 'delivery_on_time'] as const;

function generate(): Map<number, ScoredEvent[]> {
  const byFirm = new Map<number, ScoredEvent[]>();
  let id = 0;
  for (let firm = 1; firm <= FIRMS; firm += 1) {
    const events: ScoredEvent[] = [];
    for (let k = 0; k < EVENTS; k += 1) {
      id += 1;
      const correction = k > 0 && random() < 0.02;
      events.push({
        id,
        kind: correction ? 'correction' : random() < 0.8 ? POSITIVE[Math.floor(random() * POSITIVE.length)]! : CREDIT_KINDS[Math.floor(random() * CREDIT_KINDS.length)]!,
        occurredAt: new Date(NOW.getTime() - Math.floor(random() * 900) * DAY_MS),
        correctsEventId: correction ? id - 1 : null,
      });
    }
    byFirm.set(firm, events);
  }
  return byFirm;
}

const time = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
};

const byFirm = generate();
const [grades, nowMs] = time(() => {
  const counts: Record<string, number> = {};
  for (const events of byFirm.values()) {
    const grade = gradeOf(scoreAt(events, versions, NOW));
    counts[grade] = (counts[grade] ?? 0) + 1;
  }
  return counts;
});
const ends = monthEnds(NOW);
const [, historyMs] = time(() => {
  for (const events of byFirm.values()) {
    const corrections = correctionsOf(events);
    scoreAt(events, versions, NOW, corrections);
    for (const end of ends) scoreAt(events, versions, end.at, corrections);
  }
});

const rows: Record<string, string | number>[] = [
  { path: 'in memory: score now', firms: FIRMS, events: FIRMS * EVENTS, ms: Math.round(nowMs) },
  { path: 'in memory: score now + 12-month history', firms: FIRMS, events: FIRMS * EVENTS, ms: Math.round(historyMs) },
];

// SQL-backed path on PGlite
const database = await openPgliteDatabase();
await database.migrate();
const db = database.db;
const seedStart = performance.now();
const firmIds: number[] = [];
for (let offset = 0; offset < FIRMS; offset += 1000) {
  const batch = Array.from({ length: Math.min(1000, FIRMS - offset) }, (_unused, i) => ({
    kind: 'agency',
    name: `基准测试中介${offset + i}有限公司`,
    uscc: `BENCH${String(offset + i).padStart(13, '0')}`,
    status: 'admitted',
    contactName: '张三',
    contactPhone: '13800138000',
    createdAt: NOW,
    updatedAt: NOW,
  }));
  firmIds.push(...(await db.insert(organizations).values(batch).returning({ id: organizations.id })).map((row) => row.id));
}
const pending: (typeof creditEvents.$inferInsert)[] = [];
const flush = async () => {
  if (pending.length) await db.insert(creditEvents).values(pending.splice(0));
};
for (const [index, events] of [...byFirm.values()].entries()) {
  for (const event of events) {
    // corrections need a real event id: stored as plain events for the load, scored the same way otherwise
    pending.push({ firmId: firmIds[index]!, kind: event.kind === 'correction' ? 'violation_minor' : event.kind, occurredAt: event.occurredAt, source: 'bench', note: '', correctsEventId: null, recordedBy: 'bench', recordedAt: NOW });
    if (pending.length >= 2000) await flush();
  }
}
await flush();
const seedMs = performance.now() - seedStart;
await db.execute(sql`analyze credit_events`);
const clock = new TestClock(NOW);
const start = performance.now();
const filter = await gradeFilter({ database, clock }, 'A');
const sqlMs = performance.now() - start;
rows.push({ path: 'PGlite: read all events + score (grade filter)', firms: FIRMS, events: FIRMS * EVENTS, ms: Math.round(sqlMs) });
await database.close();

printTable(rows);
console.log(`grades now (in memory): ${JSON.stringify(grades)}; PGlite seed took ${Math.round(seedMs)} ms; grade filter kept ${filter.only?.length ?? FIRMS - (filter.except?.length ?? 0)} firms at A or better`);
