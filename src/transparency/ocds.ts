import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import { auditEvents } from '../audit/tables.js';
import { organizations } from '../auth/tables.js';
import type { Executor } from '../platform/db/index.js';
import { isoShanghai } from '../platform/time.js';
import { projects } from '../projects/tables.js';
import { contractReleasesOf, CONTRACT_ACTIONS } from './ocds-contracts.js';
import { ocidOf, partyId, value } from './ocds-values.js';

/**
 * Open Contracting Data Standard 1.1 export: one release per public project change, derived
 * from the project's audit events, so the feed is exactly as complete and ordered as the chain.
 * `ocds-zjcs-` is a placeholder prefix: a real deployment registers its own with the OCDS
 * helpdesk and sets it here (see docs/ocds.md).
 */
export const OCDS_PAGE_SIZE = 100;
export const LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

type Tag = 'tender' | 'tenderUpdate' | 'tenderAmendment' | 'tenderCancellation' | 'award' | 'awardUpdate' | 'contract' | 'contractUpdate';
type TenderStatus = 'active' | 'cancelled' | 'unsuccessful' | 'complete';

/** Which audit actions make a release, with its tag and the tender's status after it. */
const PROJECT_ACTIONS: Record<string, { tag: Tag; tender: TenderStatus; award?: 'pending' | 'active' }> = {
  'project.published': { tag: 'tender', tender: 'active' },
  'project.terms_amended': { tag: 'tenderAmendment', tender: 'active' },
  'project.registration_closed': { tag: 'tenderUpdate', tender: 'active' },
  'project.candidates_drawn': { tag: 'tenderUpdate', tender: 'active' },
  'project.submissions_opened': { tag: 'tenderUpdate', tender: 'active' },
  'project.cancelled': { tag: 'tenderCancellation', tender: 'cancelled' },
  'project.failed': { tag: 'tenderUpdate', tender: 'unsuccessful' },
  'project.result_published': { tag: 'award', tender: 'complete', award: 'pending' },
  'project.awarded': { tag: 'awardUpdate', tender: 'complete', award: 'active' },
  'award.accepted': { tag: 'awardUpdate', tender: 'complete', award: 'active' },
  'award.declined': { tag: 'awardUpdate', tender: 'complete', award: 'pending' },
};

const METHOD_NAMES: Record<string, string> = {
  direct: '直接选取',
  lottery: '网上摇号',
  inquiry: '询价',
  lottery_inquiry: '摇号询价',
  comparison: '网上比选',
  bidding: '竞价',
};

export { ocidOf, partyId, value, yuanFromFen } from './ocds-values.js';

type ProjectRow = typeof projects.$inferSelect;
type EventRow = typeof auditEvents.$inferSelect;
type Org = { id: number; name: string; uscc: string; address: string | null };

interface Ranked {
  firmId: number;
  name: string;
  uscc: string;
  amountFen?: number;
}

function resultOf(project: ProjectRow): { ranking: Ranked[]; winners: number[] } | undefined {
  const result = project.result as { ranking?: Ranked[]; winners?: number[] } | null;
  if (!result || !Array.isArray(result.ranking) || !Array.isArray(result.winners)) return undefined;
  return { ranking: result.ranking, winners: result.winners };
}

const party = (org: Pick<Org, 'name' | 'uscc'>, roles: string[]) => ({
  id: partyId(org.uscc),
  name: org.name,
  identifier: { scheme: 'CN-USCC', id: org.uscc, legalName: org.name },
  roles,
});

/** Where releases are published: PUBLIC_BASE_URL and OCDS_PREFIX, never the request's Host. */
export interface Publication {
  baseUrl: string;
  ocidPrefix: string;
}

export function projectRelease(project: ProjectRow, owner: Org, event: EventRow, { baseUrl, ocidPrefix }: Publication) {
  const action = PROJECT_ACTIONS[event.action]!;
  const ocid = ocidOf(ocidPrefix, project.id);
  const result = action.award ? resultOf(project) : undefined;
  const opened = event.action === 'project.submissions_opened' || action.award ? resultOf(project) : undefined;
  const tenderers = opened?.ranking ?? [];
  const winners = result ? result.ranking.filter((entry) => result.winners.includes(entry.firmId)) : [];
  const parties = new Map<string, ReturnType<typeof party>>();
  parties.set(partyId(owner.uscc), party(owner, ['buyer']));
  for (const firm of tenderers) parties.set(partyId(firm.uscc), party(firm, ['tenderer']));
  for (const firm of winners) {
    const known = parties.get(partyId(firm.uscc));
    parties.set(partyId(firm.uscc), party(firm, [...(known?.roles ?? []), 'supplier']));
  }
  const amendment =
    event.action === 'project.terms_amended'
      ? { amendments: [{ id: `${ocid}-amendment-${event.seq}`, date: isoShanghai(event.at), rationale: String((event.data as { reason?: string }).reason ?? '') }] }
      : {};
  const awardedFen = winners.reduce<number | undefined>((sum, entry) => (entry.amountFen === undefined ? sum : (sum ?? 0) + entry.amountFen), undefined);
  return {
    ocid,
    id: `${ocid}-${event.seq}`,
    date: isoShanghai(event.at),
    tag: [action.tag],
    initiationType: 'tender',
    language: 'zh',
    parties: [...parties.values()],
    buyer: { id: partyId(owner.uscc), name: owner.name },
    tender: {
      id: `${ocid}-tender`,
      title: project.title,
      description: project.description,
      status: action.tender,
      value: value(project.budgetFen),
      procurementMethod: project.method === 'direct' ? 'direct' : 'open',
      procurementMethodDetails: `${METHOD_NAMES[project.method] ?? project.method}（${project.method}）`,
      mainProcurementCategory: 'services',
      items: [{ id: '1', description: project.serviceCode, classification: { scheme: 'x_zjcs_catalogue', id: project.serviceCode, uri: `${baseUrl}/services/${encodeURIComponent(project.serviceCode)}` } }],
      tenderPeriod: {
        ...(project.publishedAt ? { startDate: isoShanghai(project.publishedAt) } : {}),
        endDate: isoShanghai(project.submissionClosesAt ?? project.registrationClosesAt),
      },
      ...(tenderers.length ? { tenderers: tenderers.map((firm) => ({ id: partyId(firm.uscc), name: firm.name })), numberOfTenderers: tenderers.length } : {}),
      ...amendment,
    },
    ...(result && winners.length
      ? {
          awards: [
            {
              id: `${ocid}-award-1`,
              status: action.award!,
              date: isoShanghai(event.at),
              ...(awardedFen !== undefined ? { value: value(awardedFen) } : {}),
              suppliers: winners.map((firm) => ({ id: partyId(firm.uscc), name: firm.name })),
            },
          ],
        }
      : {}),
  };
}

export type Release = ReturnType<typeof projectRelease> | Record<string, unknown>;

const RELEASE_ACTIONS = [...Object.keys(PROJECT_ACTIONS), ...CONTRACT_ACTIONS];

/** One page of releases (oldest first) of changes at or after `since`. */
export async function releasePackage(db: Executor, options: Publication & { since?: Date; page: number; now: Date }) {
  const where = and(
    eq(auditEvents.entityType, 'project'),
    inArray(auditEvents.action, RELEASE_ACTIONS),
    options.since ? gte(auditEvents.at, options.since) : undefined,
  );
  const events = await db
    .select()
    .from(auditEvents)
    .where(where)
    .orderBy(asc(auditEvents.seq))
    .offset((options.page - 1) * OCDS_PAGE_SIZE)
    .limit(OCDS_PAGE_SIZE + 1);
  const more = events.length > OCDS_PAGE_SIZE;
  const pageEvents = events.slice(0, OCDS_PAGE_SIZE);
  const ids = [...new Set(pageEvents.map((event) => Number(event.entityId)))].filter(Number.isSafeInteger);
  const rows = ids.length ? await db.select().from(projects).where(inArray(projects.id, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ownerIds = [...new Set(rows.map((row) => row.ownerId))];
  const owners = ownerIds.length
    ? await db.select({ id: organizations.id, name: organizations.name, uscc: organizations.uscc, address: organizations.address }).from(organizations).where(inArray(organizations.id, ownerIds))
    : [];
  const ownerById = new Map(owners.map((owner) => [owner.id, owner]));
  const releases: Release[] = [];
  for (const event of pageEvents) {
    const project = byId.get(Number(event.entityId));
    if (!project || !project.publishedAt) continue;
    const owner = ownerById.get(project.ownerId)!;
    if (PROJECT_ACTIONS[event.action]) releases.push(projectRelease(project, owner, event, options));
    else releases.push(...(await contractReleasesOf(db, project, owner, event, options.ocidPrefix)));
  }
  const query = (page: number) => `${options.baseUrl}/api/v1/ocds/releases?${options.since ? `since=${encodeURIComponent(isoShanghai(options.since))}&` : ''}page=${page}`;
  const last = pageEvents[pageEvents.length - 1];
  return {
    uri: query(options.page),
    version: '1.1',
    publishedDate: isoShanghai(last ? last.at : options.now),
    publisher: { name: '中介服务超市', scheme: null, uid: null, uri: options.baseUrl },
    license: LICENSE,
    publicationPolicy: `${options.baseUrl}/ocds`,
    releases,
    ...(more ? { links: { next: query(options.page + 1) } } : {}),
  };
}

export const countReleaseEvents = async (db: Executor) =>
  (await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(and(eq(auditEvents.entityType, 'project'), inArray(auditEvents.action, RELEASE_ACTIONS))))[0]?.n ?? 0;
