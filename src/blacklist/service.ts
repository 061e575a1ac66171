import { stringify } from 'csv-stringify/sync';
import { appendAudit } from '../audit/service.js';
import { writeAtom } from '../platform/atom.js';
import * as firms from '../firms/repository.js';
import type { PlatformDeps } from '../platform/deps.js';
import { badRequest, conflict, forbidden, notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import * as repository from './repository.js';
import type { BlacklistStatus } from './repository.js';

export type BlacklistDeps = Pick<PlatformDeps, 'database' | 'clock'>;

/** How long after publication the firm may appeal (申诉期). */
export const APPEAL_PERIOD_DAYS = 15;
const DAY_MS = 24 * 60 * 60 * 1000;

const actorOf = (user: CurrentUser) => `user:${user.id}`;

/** Status from the clock: an entry is expired from the very instant `endsAt` is reached. */
export function statusAt(entry: Pick<repository.BlacklistEntryRow, 'startsAt' | 'endsAt' | 'revokedAt'>, at: Date): BlacklistStatus {
  if (entry.revokedAt) return 'revoked';
  if (entry.startsAt.getTime() > at.getTime()) return 'scheduled';
  if (entry.endsAt && entry.endsAt.getTime() <= at.getTime()) return 'expired';
  return 'active';
}

export const appealDeadline = (entry: Pick<repository.BlacklistEntryRow, 'publishedAt'>) => new Date(entry.publishedAt.getTime() + APPEAL_PERIOD_DAYS * DAY_MS);

function presentAppeal(appeal: repository.AppealRow) {
  return {
    id: appeal.id,
    filedAt: isoShanghai(appeal.filedAt),
    grounds: appeal.grounds,
    decision: appeal.decision,
    decisionReason: appeal.decisionReason,
    decidedAt: appeal.decidedAt ? isoShanghai(appeal.decidedAt) : null,
  };
}

export function presentEntry(entry: repository.EntryWithFirm, at: Date) {
  return {
    id: entry.id,
    firmId: entry.firmId,
    firmName: entry.firmName,
    firmUscc: entry.firmUscc,
    reason: entry.reason,
    basis: entry.basis,
    evidence: entry.evidence,
    startsAt: isoShanghai(entry.startsAt),
    endsAt: entry.endsAt ? isoShanghai(entry.endsAt) : null,
    decidedBy: entry.decidedBy,
    publishedAt: isoShanghai(entry.publishedAt),
    appealDeadline: isoShanghai(appealDeadline(entry)),
    status: statusAt(entry, at),
    revokedAt: entry.revokedAt ? isoShanghai(entry.revokedAt) : null,
    revokeReason: entry.revokeReason,
  };
}

export type EntryView = ReturnType<typeof presentEntry>;

export async function listEntries(
  deps: BlacklistDeps,
  filter: { status: BlacklistStatus | 'all'; q?: string },
  page: { page: number; pageSize: number },
) {
  const at = deps.clock.now();
  const { items, total } = await repository.searchEntries(
    deps.database.db,
    { status: filter.status === 'all' ? undefined : filter.status, q: filter.q, at },
    { offset: (page.page - 1) * page.pageSize, limit: page.pageSize },
  );
  return { items: items.map((entry) => presentEntry(entry, at)), total, page: page.page, pageSize: page.pageSize };
}

export async function getEntry(deps: BlacklistDeps, viewer: CurrentUser | undefined, id: number) {
  const db = deps.database.db;
  const entry = await repository.findEntry(db, id);
  if (!entry) throw notFound('Blacklist entry');
  // appeal grounds are between the firm and staff; the outcome is public
  const own = viewer?.role === 'agency' && viewer.organizationId === entry.firmId;
  const appeals = (await repository.appealsOf(db, id)).map(presentAppeal);
  return {
    ...presentEntry(entry, deps.clock.now()),
    appeals: isStaff(viewer) || own ? appeals : appeals.filter((appeal) => appeal.decision).map((appeal) => ({ ...appeal, grounds: undefined })),
  };
}

export interface NewEntry {
  firmId: number;
  reason: string;
  basis: string;
  evidence: string;
  startsAt?: string;
  endsAt?: string | null;
}

/**
 * Publishes an entry. If it is active at once, the firm's open registrations are invalidated in
 * the same transaction; later effect points (registration, direct selection, the close re-check)
 * ask the eligibility rule, which reads the entry's status from the clock.
 */
export async function publishEntry(deps: BlacklistDeps, staff: CurrentUser, input: NewEntry) {
  const now = deps.clock.now();
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  const endsAt = input.endsAt ? new Date(input.endsAt) : null;
  if (endsAt && endsAt <= startsAt) throw badRequest('validation_failed', 'The end must be after the start', [{ path: 'body.endsAt', message: 'must be after startsAt' }]);
  if (endsAt && endsAt <= now) throw badRequest('validation_failed', 'The end is already past', [{ path: 'body.endsAt', message: 'is in the past' }]);
  return deps.database.transaction(async (tx) => {
    const firm = await firms.findFirm(tx, input.firmId, { lock: true });
    if (!firm) throw badRequest('validation_failed', 'No such firm', [{ path: 'body.firmId', message: 'is not a firm' }]);
    const created = await repository.insertEntry(tx, {
      firmId: firm.id,
      reason: input.reason,
      basis: input.basis,
      evidence: input.evidence,
      startsAt,
      endsAt,
      decidedBy: actorOf(staff),
      publishedAt: now,
    });
    await appendAudit(tx, deps.clock, {
      actor: actorOf(staff),
      action: 'blacklist.published',
      entityType: 'blacklist_entry',
      entityId: created.id,
      data: { firmId: firm.id, reason: input.reason, basis: input.basis, startsAt: isoShanghai(startsAt), endsAt: endsAt ? isoShanghai(endsAt) : null },
    });
    const period = endsAt ? `${isoShanghai(startsAt).slice(0, 10)} 至 ${isoShanghai(endsAt).slice(0, 10)}` : `${isoShanghai(startsAt).slice(0, 10)} 起，无固定期限`;
    await repository.insertNotice(tx, {
      title: `关于将${firm.name}列入黑名单的通报`,
      body: `${firm.name}（统一社会信用代码 ${firm.uscc}）因${input.reason}，依据${input.basis}，列入中介服务超市黑名单，期限 ${period}。`,
      publishedAt: now,
      entryId: created.id,
    });
    if (statusAt(created, now) === 'active') {
      const invalidated = await repository.invalidateOpenRegistrations(tx, firm.id, now);
      for (const registration of invalidated) {
        await appendAudit(tx, deps.clock, {
          actor: 'system:blacklist',
          action: 'registration.invalidated',
          entityType: 'registration',
          entityId: registration.id,
          data: { projectId: registration.projectId, firmId: firm.id, reason: 'blacklisted', entryId: created.id },
        });
      }
    }
    return presentEntry({ ...created, firmName: firm.name, firmUscc: firm.uscc }, now);
  });
}

/** Early removal (信用修复) or correction by staff; the entry and its history stay. */
export async function revokeEntry(deps: BlacklistDeps, staff: CurrentUser, id: number, reason: string) {
  return deps.database.transaction(async (tx) => {
    const entry = await repository.findEntry(tx, id, { lock: true });
    if (!entry) throw notFound('Blacklist entry');
    const now = deps.clock.now();
    const status = statusAt(entry, now);
    if (status === 'revoked' || status === 'expired') throw conflict('blacklist_not_revocable', `The entry is already ${status}`);
    await repository.revokeEntry(tx, id, { revokedAt: now, revokedBy: actorOf(staff), revokeReason: reason });
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: 'blacklist.revoked', entityType: 'blacklist_entry', entityId: id, data: { reason } });
    return presentEntry({ ...entry, revokedAt: now, revokedBy: actorOf(staff), revokeReason: reason }, now);
  });
}

/** The firm itself appeals, within the appeal period, one open appeal at a time. */
export async function fileAppeal(deps: BlacklistDeps, user: CurrentUser, id: number, grounds: string) {
  return deps.database.transaction(async (tx) => {
    const entry = await repository.findEntry(tx, id, { lock: true });
    if (!entry) throw notFound('Blacklist entry');
    if (user.role !== 'agency' || user.organizationId !== entry.firmId) throw forbidden('Only the listed firm may appeal');
    const now = deps.clock.now();
    if (now >= appealDeadline(entry)) throw conflict('appeal_period_over', `The appeal period ended at ${isoShanghai(appealDeadline(entry))}`).with({ endedAt: appealDeadline(entry) });
    if (entry.revokedAt) throw conflict('blacklist_not_appealable', 'The entry is already revoked');
    const appeals = await repository.appealsOf(tx, id);
    if (appeals.some((appeal) => !appeal.decision)) throw conflict('appeal_pending', 'An appeal is already waiting for a decision');
    const appeal = await repository.insertAppeal(tx, { entryId: id, firmId: entry.firmId, grounds, filedBy: actorOf(user), filedAt: now });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'blacklist.appeal_filed', entityType: 'blacklist_entry', entityId: id, data: { appealId: appeal.id } });
    return presentAppeal(appeal);
  });
}

/** Staff decide an appeal: upheld revokes the entry, dismissed leaves it as it is. */
export async function decideAppeal(deps: BlacklistDeps, staff: CurrentUser, id: number, appealId: number, decision: 'uphold' | 'dismiss', reason: string) {
  return deps.database.transaction(async (tx) => {
    const entry = await repository.findEntry(tx, id, { lock: true });
    if (!entry) throw notFound('Blacklist entry');
    const appeal = await repository.findAppeal(tx, id, appealId, { lock: true });
    if (!appeal) throw notFound('Appeal');
    if (appeal.decision) throw conflict('appeal_already_decided', `The appeal was already ${appeal.decision}`);
    const now = deps.clock.now();
    const outcome = decision === 'uphold' ? 'upheld' : 'dismissed';
    await repository.decideAppeal(tx, appealId, { decision: outcome, decisionReason: reason, decidedBy: actorOf(staff), decidedAt: now });
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: `blacklist.appeal_${outcome}`, entityType: 'blacklist_entry', entityId: id, data: { appealId, reason } });
    if (outcome === 'upheld' && !entry.revokedAt) {
      await repository.revokeEntry(tx, id, { revokedAt: now, revokedBy: actorOf(staff), revokeReason: reason });
      await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: 'blacklist.revoked', entityType: 'blacklist_entry', entityId: id, data: { reason, appealId } });
    }
    return presentAppeal({ ...appeal, decision: outcome, decisionReason: reason, decidedBy: actorOf(staff), decidedAt: now });
  });
}

/** Whether each firm is blacklisted at `at` (credit view, directory). */
export async function blacklistedFirms(deps: BlacklistDeps, firmIds: number[], at = deps.clock.now()): Promise<Set<number>> {
  return new Set((await repository.activeEntriesOf(deps.database.db, firmIds, at)).map((entry) => entry.firmId));
}

const STATUS_LABELS: Record<BlacklistStatus, string> = { scheduled: '未生效', active: '生效中', expired: '已到期', revoked: '已撤销' };

/** CSV for spreadsheets: UTF-8 with a BOM so Excel reads the Chinese headers. */
export async function exportCsv(deps: BlacklistDeps): Promise<string> {
  const at = deps.clock.now();
  const { items } = await repository.searchEntries(deps.database.db, { at });
  const rows = items.map((entry) => presentEntry(entry, at));
  return (
    '\uFEFF' +
    stringify(
      rows.map((row) => [row.id, row.firmName, row.firmUscc, row.reason, row.basis, row.evidence, row.startsAt, row.endsAt ?? '无固定期限', STATUS_LABELS[row.status], row.publishedAt, row.revokedAt ?? '', row.revokeReason ?? '']),
      { header: true, columns: ['编号', '机构名称', '统一社会信用代码', '列入事由', '法律依据', '证据', '起始时间', '截止时间', '状态', '发布时间', '撤销时间', '撤销理由'] },
    )
  );
}

/** The Atom feed (RFC 4287) of the 50 latest entries, through the shared escaping writer. */
export async function atomFeed(deps: BlacklistDeps, baseUrl: string): Promise<string> {
  const at = deps.clock.now();
  const { items } = await repository.searchEntries(deps.database.db, { at }, { offset: 0, limit: 50 });
  const updatedAt = (entry: (typeof items)[number]) => entry.revokedAt ?? entry.publishedAt;
  return writeAtom({
    id: `${baseUrl}/blacklist`,
    title: '中介服务超市黑名单',
    selfLink: `${baseUrl}/blacklist/feed.atom`,
    alternateLink: `${baseUrl}/blacklist`,
    updated: items[0] ? updatedAt(items[0]) : at,
    author: '中介服务超市',
    entries: items.map((entry) => {
      const url = `${baseUrl}/blacklist/${entry.id}`;
      return {
        id: url,
        title: `${entry.firmName} 列入黑名单`,
        link: url,
        published: entry.publishedAt,
        updated: updatedAt(entry),
        summary: `${entry.firmName}（${entry.firmUscc}）：${entry.reason}。依据：${entry.basis}。状态：${STATUS_LABELS[statusAt(entry, at)]}。`,
      };
    }),
  });
}
