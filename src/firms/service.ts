import { appendAudit } from '../audit/service.js';
import { findPublishedService } from '../catalog/service.js';
import { creditSummaries, gradeFilter } from '../credit/service.js';
import type { Grade } from '../credit/score.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError, conflict, forbidden, notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { isoShanghai, shanghaiDate } from '../platform/time.js';
import { parseDebtorCsv, type RowProblem } from './debtor-list.js';
import * as repository from './repository.js';
import { FIRM_STATUSES, QUALIFICATION_STATES } from './schemas.js';

export type FirmDeps = Pick<PlatformDeps, 'database' | 'clock'>;

const actorOf = (user: CurrentUser) => `user:${user.id}`;
const isOwnFirm = (viewer: CurrentUser | undefined, firmId: number) => viewer?.role === 'agency' && viewer.organizationId === firmId;
/** Personal information (个人信息保护法) is for staff and the firm itself. */
export const canSeePrivate = (viewer: CurrentUser | undefined, firmId: number) => isStaff(viewer) || isOwnFirm(viewer, firmId);

export type QualificationState = (typeof QUALIFICATION_STATES)[number];

/** Expiry is a fact of the clock at read time, never a stored flag. */
export function qualificationState(qualification: repository.QualificationRow, today: string): QualificationState {
  if (qualification.status === 'verified' && qualification.validUntil < today) return 'expired';
  return qualification.status as QualificationState;
}

function presentQualification(qualification: repository.QualificationRow, today: string, full: boolean) {
  return {
    id: qualification.id,
    serviceCode: qualification.serviceCode,
    level: qualification.level,
    certificateNo: qualification.certificateNo,
    issuer: qualification.issuer,
    validUntil: qualification.validUntil,
    state: qualificationState(qualification, today),
    ...(full ? { reviewReason: qualification.reviewReason, reviewedAt: qualification.reviewedAt ? isoShanghai(qualification.reviewedAt) : null } : {}),
  };
}

export type FirmView = ReturnType<typeof presentFirm>;

export function presentFirm(
  firm: repository.FirmRow,
  qualifications: repository.QualificationRow[],
  debtorMatches: repository.DebtorEntryRow[] | undefined,
  viewer: CurrentUser | undefined,
  today: string,
) {
  const privateView = canSeePrivate(viewer, firm.id);
  const visibleQualifications = privateView ? qualifications : qualifications.filter((q) => q.status === 'verified');
  return {
    id: firm.id,
    name: firm.name,
    uscc: firm.uscc,
    status: firm.status,
    legalRepresentative: firm.legalRepresentative,
    address: firm.address,
    qualifications: visibleQualifications.map((q) => presentQualification(q, today, privateView)),
    ...(privateView
      ? {
          contact: { name: firm.contactName, phone: firm.contactPhone, email: firm.email },
          legalRepresentativeId: firm.legalRepresentativeId,
        }
      : {}),
    // the joint-punishment warning (联合惩戒) is for staff
    ...(isStaff(viewer)
      ? {
          debtorMatches: (debtorMatches ?? []).map((entry) => ({
            name: entry.name,
            caseNumber: entry.caseNumber,
            court: entry.court,
            listedOn: entry.listedOn,
            matchedBy: entry.uscc === firm.uscc ? 'uscc' : 'legal_representative_id',
          })),
        }
      : {}),
  };
}

async function presentFirms(deps: FirmDeps, firms: repository.FirmRow[], viewer?: CurrentUser) {
  const db = deps.database.db;
  const qualifications = await repository.qualificationsOf(db, firms.map((firm) => firm.id));
  const matches = isStaff(viewer) ? await repository.debtorMatches(db, firms) : new Map();
  const today = shanghaiDate(deps.clock.now());
  return firms.map((firm) =>
    presentFirm(firm, qualifications.filter((q) => q.firmId === firm.id), matches.get(firm.id), viewer, today),
  );
}

/** Public directory: admitted firms only. Staff also see pending, suspended and rejected ones. */
export async function listFirms(
  deps: FirmDeps,
  viewer: CurrentUser | undefined,
  filter: { q?: string; service?: string; status?: string; minGrade?: Grade },
  page: { page: number; pageSize: number },
) {
  const statuses = isStaff(viewer) && filter.status ? [filter.status] : isStaff(viewer) ? [...FIRM_STATUSES] : ['admitted'];
  const ids = filter.minGrade ? await gradeFilter(deps, filter.minGrade) : undefined;
  const { items, total } = await repository.searchFirms(deps.database.db, { q: filter.q, service: filter.service, statuses, ids }, {
    offset: (page.page - 1) * page.pageSize,
    limit: page.pageSize,
  });
  const credit = await creditSummaries(deps, items.map((firm) => firm.id));
  const views = (await presentFirms(deps, items, viewer)).map((firm) => ({ ...firm, credit: credit.get(firm.id)! }));
  return { items: views, total, page: page.page, pageSize: page.pageSize };
}

export async function getFirm(deps: FirmDeps, viewer: CurrentUser | undefined, firmId: number) {
  const firm = await repository.findFirm(deps.database.db, firmId);
  if (!firm || (firm.status !== 'admitted' && !canSeePrivate(viewer, firmId))) throw notFound('Firm');
  const [view] = await presentFirms(deps, [firm], viewer);
  const decisions = isStaff(viewer) || isOwnFirm(viewer, firmId) ? await repository.decisionsOf(deps.database.db, firmId) : [];
  return { ...view!, decisions: decisions.map((d) => ({ ...d, decidedAt: isoShanghai(d.decidedAt) })) };
}

function requireOwnFirm(viewer: CurrentUser, firmId: number) {
  if (!isOwnFirm(viewer, firmId)) throw forbidden('Only the firm itself can change its profile');
}

export async function updateProfile(
  deps: FirmDeps,
  viewer: CurrentUser,
  firmId: number,
  profile: { legalRepresentative: string; legalRepresentativeId?: string; address: string; contactName: string; contactPhone: string; email?: string },
) {
  requireOwnFirm(viewer, firmId);
  await deps.database.transaction(async (tx) => {
    const firm = await repository.findFirm(tx, firmId, { lock: true });
    if (!firm) throw notFound('Firm');
    await repository.updateFirm(tx, firmId, {
      legalRepresentative: profile.legalRepresentative,
      legalRepresentativeId: profile.legalRepresentativeId ?? null,
      address: profile.address,
      contactName: profile.contactName,
      contactPhone: profile.contactPhone,
      email: profile.email ?? null,
      updatedAt: deps.clock.now(),
    });
    // the audit log is readable by staff only; personal data is named, not copied
    const changed = (Object.keys(profile) as (keyof typeof profile)[]).filter((key) => (firm as Record<string, unknown>)[key] !== (profile[key] ?? null));
    await appendAudit(tx, deps.clock, { actor: actorOf(viewer), action: 'firm.profile_updated', entityType: 'firm', entityId: firmId, data: { changed } });
  });
}

export async function addQualification(
  deps: FirmDeps,
  viewer: CurrentUser,
  firmId: number,
  input: { serviceCode: string; level: string; certificateNo: string; issuer: string; validUntil: string },
) {
  requireOwnFirm(viewer, firmId);
  if (input.validUntil < shanghaiDate(deps.clock.now())) {
    throw new AppError(400, 'qualification_expired', 'The certificate has already expired', [{ path: 'validUntil', message: 'is in the past' }]);
  }
  if (!(await findPublishedService(deps.database.db, input.serviceCode))) {
    throw new AppError(400, 'unknown_service', `No published service item ${input.serviceCode}`, [{ path: 'serviceCode', message: 'is not a published catalogue item' }]).with({ code: input.serviceCode });
  }
  return deps.database.transaction(async (tx) => {
    const created = await repository.insertQualification(tx, { ...input, firmId, status: 'pending', createdAt: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor: actorOf(viewer), action: 'firm.qualification_added', entityType: 'firm', entityId: firmId, data: { qualificationId: created.id, ...input } });
    return presentQualification(created, shanghaiDate(deps.clock.now()), true);
  });
}

const TRANSITIONS = {
  approve: { from: ['pending', 'rejected'], to: 'admitted' },
  reject: { from: ['pending'], to: 'rejected' },
  suspend: { from: ['admitted'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'admitted' },
} as const;

/** Staff admit or reject a firm, suspend or reinstate it: always with a reason, always audited. */
export async function decideFirm(deps: FirmDeps, staff: CurrentUser, firmId: number, decision: keyof typeof TRANSITIONS, reason: string) {
  const transition = TRANSITIONS[decision];
  return deps.database.transaction(async (tx) => {
    const firm = await repository.findFirm(tx, firmId, { lock: true });
    if (!firm) throw notFound('Firm');
    if (!(transition.from as readonly string[]).includes(firm.status)) {
      throw conflict('wrong_firm_status', `Cannot ${decision} a firm that is ${firm.status}`);
    }
    const now = deps.clock.now();
    await repository.updateFirm(tx, firmId, { status: transition.to, updatedAt: now });
    await repository.insertDecision(tx, { firmId, decision, fromStatus: firm.status, toStatus: transition.to, reason, decidedBy: actorOf(staff), decidedAt: now });
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: `firm.${decision}`, entityType: 'firm', entityId: firmId, data: { from: firm.status, to: transition.to, reason } });
    return { id: firmId, status: transition.to };
  });
}

export async function reviewQualification(deps: FirmDeps, staff: CurrentUser, firmId: number, qualificationId: number, decision: 'approve' | 'reject', reason: string) {
  return deps.database.transaction(async (tx) => {
    const qualification = await repository.findQualification(tx, firmId, qualificationId, { lock: true });
    if (!qualification) throw notFound('Qualification');
    if (qualification.status !== 'pending') throw conflict('qualification_already_reviewed', `The qualification is already ${qualification.status}`);
    const status = decision === 'approve' ? 'verified' : 'rejected';
    const now = deps.clock.now();
    await repository.updateQualification(tx, qualificationId, { status, reviewReason: reason, reviewedBy: actorOf(staff), reviewedAt: now });
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: `firm.qualification_${status}`, entityType: 'firm', entityId: firmId, data: { qualificationId, serviceCode: qualification.serviceCode, reason } });
    return presentQualification({ ...qualification, status, reviewReason: reason, reviewedAt: now }, shanghaiDate(now), true);
  });
}

export interface DebtorImportReport {
  imported: number;
  problems: RowProblem[];
  matches: { firmId: number; firmName: string; caseNumbers: string[] }[];
}

/**
 * Replaces the current list with this import (the courts publish the whole list). Matching
 * firms are derived from it at read time; each match found now is also an audit event.
 */
export async function importDebtorList(deps: FirmDeps, staff: CurrentUser, input: { sourceName: string; csv: string }): Promise<DebtorImportReport> {
  const { rows, problems } = parseDebtorCsv(input.csv);
  if (problems.length) {
    const error = new AppError(422, 'debtor_list_invalid', `${problems.length} row(s) of the list are invalid; nothing was imported`).with({ count: problems.length });
    error.extensions = { report: { imported: 0, problems, matches: [] } };
    throw error;
  }
  return deps.database.transaction(async (tx) => {
    const importId = await repository.insertDebtorImport(tx, { sourceName: input.sourceName, rowCount: rows.length, importedBy: actorOf(staff), importedAt: deps.clock.now() }, rows);
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: 'debtors.list_imported', entityType: 'debtor_list', entityId: importId, data: { sourceName: input.sourceName, rows: rows.length } });
    const firms = await repository.allFirmsForMatching(tx);
    const matched = await repository.debtorMatches(tx, firms);
    const matches = [];
    for (const firm of firms) {
      const entries = matched.get(firm.id);
      if (!entries) continue;
      const caseNumbers = entries.map((entry) => entry.caseNumber);
      matches.push({ firmId: firm.id, firmName: firm.name, caseNumbers });
      await appendAudit(tx, deps.clock, { actor: 'system:joint-punishment', action: 'firm.debtor_matched', entityType: 'firm', entityId: firm.id, data: { importId, caseNumbers } });
    }
    return { imported: rows.length, problems: [], matches };
  });
}

export async function debtorOverview(deps: FirmDeps) {
  const db = deps.database.db;
  const latest = await repository.latestDebtorImport(db);
  const firms = await repository.allFirmsForMatching(db);
  const matched = await repository.debtorMatches(db, firms);
  return {
    latest: latest ? { ...latest, importedAt: isoShanghai(latest.importedAt) } : null,
    matches: firms.filter((firm) => matched.has(firm.id)).map((firm) => ({ firmId: firm.id, firmName: firm.name, entries: matched.get(firm.id)! })),
  };
}

/** Staff's review queue: firms awaiting admission and firms with qualifications to check. */
export async function reviewQueue(deps: FirmDeps, staff: CurrentUser) {
  const db = deps.database.db;
  const pendingFirms = await repository.listFirmsByStatus(db, ['pending']);
  const withQualifications = await repository.firmsWithPendingQualifications(db);
  const others = (await repository.listFirmsByStatus(db, ['admitted', 'suspended', 'rejected'])).filter((firm) => withQualifications.includes(firm.id));
  return presentFirms(deps, [...pendingFirms, ...others], staff);
}
