import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Executor } from '../platform/db/index.js';
import { isoShanghai } from '../platform/time.js';
import { announcements } from '../projects/tables.js';
import { writeAtom } from '../platform/atom.js';

/** Kinds written today; the filter also accepts kinds other features add later. */
export const KNOWN_KINDS = [
  'project_notice',
  'project_amended',
  'project_cancelled',
  'registration_closed',
  'candidates_drawn',
  'result_publicity',
  'project_failed',
  'blacklist_entry',
  'catalogue_change',
] as const;

export const KIND_PATTERN = /^[a-z][a-z_]{0,39}$/;

export interface AnnouncementFilter {
  kind?: string;
  projectId?: number;
  since?: Date;
  until?: Date;
}

type Row = typeof announcements.$inferSelect;

/** The public page a notice is about: its project, blacklist entry or catalogue item. */
export function linkOf(row: Pick<Row, 'kind' | 'projectId' | 'entityType' | 'entityId'>): string {
  if (row.projectId) return `/projects/${row.projectId}`;
  if (row.entityType === 'blacklist_entry' && row.entityId) return `/blacklist/${encodeURIComponent(row.entityId)}`;
  if (row.entityType === 'service_item' && row.entityId) return `/services/${encodeURIComponent(row.entityId)}`;
  if (row.kind === 'blacklist_entry') return '/blacklist';
  return '/announcements';
}

export function presentAnnouncement(row: Row) {
  return {
    id: row.id,
    kind: row.kind,
    projectId: row.projectId,
    entityType: row.entityType,
    entityId: row.entityId,
    title: row.title,
    body: row.body,
    publishedAt: isoShanghai(row.publishedAt),
    link: linkOf(row),
  };
}

export type AnnouncementView = ReturnType<typeof presentAnnouncement>;

const whereOf = (filter: AnnouncementFilter) =>
  and(
    filter.kind ? eq(announcements.kind, filter.kind) : undefined,
    filter.projectId ? eq(announcements.projectId, filter.projectId) : undefined,
    filter.since ? gte(announcements.publishedAt, filter.since) : undefined,
    filter.until ? lt(announcements.publishedAt, filter.until) : undefined,
  );

export async function listAnnouncements(db: Executor, filter: AnnouncementFilter, page: { page: number; pageSize: number }) {
  const where = whereOf(filter);
  const rows = await db
    .select()
    .from(announcements)
    .where(where)
    .orderBy(desc(announcements.publishedAt), desc(announcements.id))
    .offset((page.page - 1) * page.pageSize)
    .limit(page.pageSize);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(announcements).where(where);
  return { items: rows.map(presentAnnouncement), total: count?.total ?? 0, page: page.page, pageSize: page.pageSize };
}

/** Kinds present in the data plus the known ones, for the page's filter. */
export async function announcementKinds(db: Executor): Promise<string[]> {
  const rows = await db.selectDistinct({ kind: announcements.kind }).from(announcements);
  return [...new Set([...KNOWN_KINDS, ...rows.map((row) => row.kind)])];
}

/** A notice with no project: catalogue changes and the like. Call it inside the command's transaction. */
export async function publishAnnouncement(
  tx: Executor,
  clock: Clock,
  notice: { kind: string; title: string; body: string; projectId?: number; entityType?: string; entityId?: string },
): Promise<void> {
  await tx.insert(announcements).values({
    kind: notice.kind,
    projectId: notice.projectId ?? null,
    entityType: notice.entityType ?? null,
    entityId: notice.entityId ?? null,
    title: notice.title,
    body: notice.body,
    publishedAt: clock.now(),
  });
}

const FEED_SIZE = 50;

/** The 50 latest notices (of one kind, or all) as Atom; entries link to their project or entry. */
export async function announcementsFeed(db: Executor, clock: Clock, baseUrl: string, kind?: string): Promise<string> {
  const { items } = await listAnnouncements(db, { kind }, { page: 1, pageSize: FEED_SIZE });
  const rows = items;
  const selfPath = kind ? `/feeds/announcements/${kind}.atom` : '/feeds/announcements.atom';
  const pagePath = kind ? `/announcements?kind=${kind}` : '/announcements';
  return writeAtom({
    id: `${baseUrl}${pagePath}`,
    title: kind ? `中介服务超市公告（${kind}）` : '中介服务超市公告',
    selfLink: `${baseUrl}${selfPath}`,
    alternateLink: `${baseUrl}${pagePath}`,
    updated: rows[0] ? new Date(rows[0].publishedAt) : clock.now(),
    author: '中介服务超市',
    entries: rows.map((row) => ({
      id: `urn:zjcs:announcement:${row.id}`,
      title: row.title,
      link: `${baseUrl}${row.link}`,
      published: new Date(row.publishedAt),
      updated: new Date(row.publishedAt),
      summary: row.body,
      category: row.kind,
    })),
  });
}
