import { sql } from 'drizzle-orm';
import { participantsPublicSql } from '../projects/repository.js';
import type { Clock } from '../platform/clock.js';
import { queryRows, type Executor } from '../platform/db/index.js';

/**
 * Integrity risk flags (after Prozorro's risk indicators). A flag is a reason to look, not a
 * finding: each names its rule, the threshold in force and the evidence. Rules and thresholds
 * are documented in docs/risk-flags.md; change both together.
 */
export const RISK_RULES = {
  single_valid_bidder: { threshold: 'exactly 1 valid quote at the opening' },
  repeat_owner_firm_wins: { threshold: '≥ 3 wins of the same firm with the same owner within 12 months' },
  shared_contacts: { threshold: '≥ 2 registrants of one project sharing a legal representative, contact phone or e-mail' },
  quotes_near_ceiling: { threshold: '≥ 2 valid quotes, all within 2 % of the upper limit (budget)' },
  evenly_spaced_quotes: { threshold: '≥ 3 valid quotes whose consecutive gaps differ by at most 1 % of the mean gap' },
  repeated_declines: { threshold: '≥ 2 awards declined or left unanswered by the same firm within 12 months' },
} as const;

export type RiskRule = keyof typeof RISK_RULES;
export const RISK_RULE_NAMES = Object.keys(RISK_RULES) as RiskRule[];

export const REPEAT_WINS = 3;
export const WINDOW_DAYS = 365;
export const CEILING_PERCENT = 2;
export const SPACING_PERCENT = 1;
export const REPEAT_DECLINES = 2;

export interface RiskFlag {
  rule: RiskRule;
  threshold: string;
  projectIds: number[];
  firmIds: number[];
  ownerId?: number;
  summary: string;
  evidence: Record<string, unknown>;
}

const flag = (rule: RiskRule, rest: Omit<RiskFlag, 'rule' | 'threshold'>): RiskFlag => ({ rule, threshold: RISK_RULES[rule].threshold, ...rest });

const RESULT_STATUSES = sql`('publicity', 'awarded', 'contracted', 'delivered', 'completed')`;

interface OpenedProject {
  id: number;
  title: string;
  status: string;
  budget_fen: string;
  quotes: { firmId: number; name: string; amountFen: number }[];
}

/** Published openings: projects with a ranking of priced quotes (failed ones keep their report too). */
async function openedProjects(db: Executor): Promise<OpenedProject[]> {
  const rows = await queryRows<OpenedProject>(
    db,
    sql`select id, title, status, budget_fen::text as budget_fen,
               (select coalesce(jsonb_agg(jsonb_build_object('firmId', (e->>'firmId')::int, 'name', e->>'name', 'amountFen', (e->>'amountFen')::bigint)), '[]'::jsonb)
                from jsonb_array_elements(result->'ranking') e where e ? 'amountFen') as quotes
        from projects
        where (status in ${RESULT_STATUSES} or status = 'failed') and jsonb_typeof(result->'ranking') = 'array'
        order by id`,
  );
  return rows.map((row) => ({ ...row, id: Number(row.id), quotes: typeof row.quotes === 'string' ? JSON.parse(row.quotes) : row.quotes }));
}

export function singleValidBidder(projects: OpenedProject[]): RiskFlag[] {
  return projects
    .filter((project) => project.status !== 'failed' && project.quotes.length === 1)
    .map((project) =>
      flag('single_valid_bidder', {
        projectIds: [project.id],
        firmIds: [project.quotes[0]!.firmId],
        summary: `${project.title}: one valid quote (${project.quotes[0]!.name})`,
        evidence: { validQuotes: 1, quote: project.quotes[0] },
      }),
    );
}

export function quotesNearCeiling(projects: OpenedProject[]): RiskFlag[] {
  return projects
    .filter((project) => {
      const budget = BigInt(project.budget_fen);
      // amount ≥ (100 − 2) % of the budget, in integers
      return project.quotes.length >= 2 && project.quotes.every((quote) => BigInt(quote.amountFen) * 100n >= budget * BigInt(100 - CEILING_PERCENT));
    })
    .map((project) =>
      flag('quotes_near_ceiling', {
        projectIds: [project.id],
        firmIds: project.quotes.map((quote) => quote.firmId),
        summary: `${project.title}: all ${project.quotes.length} quotes within ${CEILING_PERCENT} % of the upper limit`,
        evidence: { budgetFen: Number(project.budget_fen), quotes: project.quotes },
      }),
    );
}

/** Gaps between consecutive sorted quotes; evenly spaced when max − min ≤ 1 % of the mean gap. */
export function evenlySpaced(amounts: readonly number[]): { gaps: number[] } | undefined {
  if (amounts.length < 3) return undefined;
  const sorted = [...amounts].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((amount, i) => amount - sorted[i]!);
  if (gaps.some((gap) => gap <= 0)) return undefined;
  const spread = BigInt(Math.max(...gaps) - Math.min(...gaps));
  const total = gaps.reduce((sum, gap) => sum + BigInt(gap), 0n);
  // (max − min) ≤ 1 % × (total / n)  ⇔  (max − min) × 100 × n ≤ total
  return spread * BigInt(100 / SPACING_PERCENT) * BigInt(gaps.length) <= total ? { gaps } : undefined;
}

export function evenlySpacedQuotes(projects: OpenedProject[]): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const project of projects) {
    const spaced = evenlySpaced(project.quotes.map((quote) => quote.amountFen));
    if (!spaced) continue;
    flags.push(
      flag('evenly_spaced_quotes', {
        projectIds: [project.id],
        firmIds: project.quotes.map((quote) => quote.firmId),
        summary: `${project.title}: ${project.quotes.length} quotes at constant gaps`,
        evidence: { quotes: project.quotes, gapsFen: spaced.gaps },
      }),
    );
  }
  return flags;
}

async function repeatOwnerFirmWins(db: Executor, at: Date): Promise<RiskFlag[]> {
  const since = new Date(at.getTime() - WINDOW_DAYS * 86_400_000);
  const rows = await queryRows<{ owner_id: number; owner_name: string; firm_id: number; firm_name: string; wins: number; project_ids: number[] }>(
    db,
    sql`select p.owner_id, o.name as owner_name, w.firm_id, f.name as firm_name, count(*)::int as wins, array_agg(p.id order by p.id) as project_ids
        from projects p
        cross join lateral (select (value)::int as firm_id from jsonb_array_elements_text(p.result->'winners')) w
        join organizations o on o.id = p.owner_id
        join organizations f on f.id = w.firm_id
        where p.status in ${RESULT_STATUSES}
          and (p.result->>'publishedAt')::timestamptz >= ${since.toISOString()}::timestamptz
          and (p.result->>'publishedAt')::timestamptz <= ${at.toISOString()}::timestamptz
        group by p.owner_id, o.name, w.firm_id, f.name
        having count(*) >= ${REPEAT_WINS}
        order by wins desc, p.owner_id, w.firm_id`,
  );
  return rows.map((row) =>
    flag('repeat_owner_firm_wins', {
      projectIds: row.project_ids.map(Number),
      firmIds: [Number(row.firm_id)],
      ownerId: Number(row.owner_id),
      summary: `${row.firm_name} won ${row.wins} projects of ${row.owner_name} within ${WINDOW_DAYS} days`,
      evidence: { ownerId: Number(row.owner_id), ownerName: row.owner_name, firmId: Number(row.firm_id), firmName: row.firm_name, wins: Number(row.wins) },
    }),
  );
}

async function sharedContacts(db: Executor): Promise<RiskFlag[]> {
  const rows = await queryRows<{ project_id: number; title: string; attribute: string; value: string; firm_ids: number[]; firm_names: string[] }>(
    db,
    sql`with registrants as (
          select r.project_id, o.id as firm_id, o.name,
                 coalesce(nullif(o.legal_representative_id, ''), nullif(o.legal_representative, '')) as legal_representative,
                 regexp_replace(regexp_replace(o.contact_phone, '[^0-9]', '', 'g'), '^86([0-9]{11})$', '\\1') as contact_phone,
                 lower(trim(o.email)) as email
          from registrations r join organizations o on o.id = r.firm_id join projects p on p.id = r.project_id
          -- a sealed project's registrants are flagged from its opening: before it, they are secret from staff too
          where r.status <> 'withdrawn' and ${participantsPublicSql('p')}
        ),
        shared as (
          select project_id, attribute, value, firm_id, name from registrants
          cross join lateral (values ('legal_representative', legal_representative), ('contact_phone', contact_phone), ('email', email)) v(attribute, value)
          where value is not null and value <> ''
        )
        select s.project_id, p.title, s.attribute, s.value, array_agg(distinct s.firm_id) as firm_ids, array_agg(distinct s.name) as firm_names
        from shared s join projects p on p.id = s.project_id
        group by s.project_id, p.title, s.attribute, s.value
        having count(distinct s.firm_id) >= 2
        order by s.project_id, s.attribute`,
  );
  return rows.map((row) =>
    flag('shared_contacts', {
      projectIds: [Number(row.project_id)],
      firmIds: row.firm_ids.map(Number),
      summary: `${row.title}: ${row.firm_names.join(', ')} share a ${row.attribute.replace('_', ' ')}`,
      evidence: { attribute: row.attribute, value: row.value, firms: row.firm_ids.map((id, i) => ({ id: Number(id), name: row.firm_names[i] })) },
    }),
  );
}

async function repeatedDeclines(db: Executor, at: Date): Promise<RiskFlag[]> {
  const since = new Date(at.getTime() - WINDOW_DAYS * 86_400_000);
  const rows = await queryRows<{ firm_id: number; firm_name: string; declines: number; project_ids: number[]; statuses: string[] }>(
    db,
    sql`select a.firm_id, o.name as firm_name, count(*)::int as declines, array_agg(a.project_id order by a.project_id) as project_ids, array_agg(a.status order by a.project_id) as statuses
        from awards a join organizations o on o.id = a.firm_id
        where a.status in ('declined', 'lapsed')
          and coalesce(a.responded_at, a.respond_by) >= ${since.toISOString()}::timestamptz
          and coalesce(a.responded_at, a.respond_by) <= ${at.toISOString()}::timestamptz
        group by a.firm_id, o.name
        having count(*) >= ${REPEAT_DECLINES}
        order by declines desc, a.firm_id`,
  );
  return rows.map((row) =>
    flag('repeated_declines', {
      projectIds: row.project_ids.map(Number),
      firmIds: [Number(row.firm_id)],
      summary: `${row.firm_name} declined or let lapse ${row.declines} awards within ${WINDOW_DAYS} days`,
      evidence: { firmId: Number(row.firm_id), firmName: row.firm_name, declines: Number(row.declines), outcomes: row.project_ids.map((id, i) => ({ projectId: Number(id), status: row.statuses[i] })) },
    }),
  );
}

export async function riskFlags(db: Executor, clock: Clock, filter: { rule?: RiskRule; projectId?: number } = {}): Promise<RiskFlag[]> {
  const at = clock.now();
  const wanted = (rule: RiskRule) => !filter.rule || filter.rule === rule;
  const opened = wanted('single_valid_bidder') || wanted('quotes_near_ceiling') || wanted('evenly_spaced_quotes') ? await openedProjects(db) : [];
  const flags = [
    ...(wanted('single_valid_bidder') ? singleValidBidder(opened) : []),
    ...(wanted('repeat_owner_firm_wins') ? await repeatOwnerFirmWins(db, at) : []),
    ...(wanted('shared_contacts') ? await sharedContacts(db) : []),
    ...(wanted('quotes_near_ceiling') ? quotesNearCeiling(opened) : []),
    ...(wanted('evenly_spaced_quotes') ? evenlySpacedQuotes(opened) : []),
    ...(wanted('repeated_declines') ? await repeatedDeclines(db, at) : []),
  ];
  return filter.projectId ? flags.filter((item) => item.projectIds.includes(filter.projectId!)) : flags;
}
