import { appendSealedAudit } from '../audit/sealed.js';
import { appendAuditMany, type AuditEntry } from '../audit/service.js';
import type { Clock } from '../platform/clock.js';
import type { Executor } from '../platform/db/index.js';

/**
 * What stays secret before a sealed project's opening (docs/security.md): who registered, who
 * submitted or replaced a quote, how many and when (招标投标法 第二十二条).
 */

/** Methods whose firms submit sealed quotes after registration. */
export const SEALED_METHODS = new Set(['inquiry', 'lottery_inquiry', 'comparison', 'bidding']);
export const LOTTERY_METHODS = new Set(['lottery', 'lottery_inquiry']);

interface ProjectState {
  method: string;
  status: string;
  result?: unknown;
}

const ENDED_EARLY = new Set(['failed', 'cancelled']);

/** Whether the sealed quotes have been opened (开标): a procedure that ended before it never was. */
export function sealedBoxOpened(project: ProjectState): boolean {
  const result = project.result as { kind?: string; openedAt?: string } | null | undefined;
  const opened = Boolean(result?.openedAt) || result?.kind === 'auction';
  if (project.status === 'draft' || project.status === 'registering' || project.status === 'submitting') return false;
  if (project.status === 'drawing' || ENDED_EARLY.has(project.status)) return opened;
  return true;
}

/** Who quoted, how many and when: secret for a sealed method until its opening. */
export const submittersSecret = (project: ProjectState): boolean => SEALED_METHODS.has(project.method) && !sealedBoxOpened(project);

/**
 * Who registered and how many: for a sealed method secret from everyone, staff included, until
 * the opening, except that a lottery publishes its candidates with the draw.
 */
export function registrantsSecret(project: ProjectState): boolean {
  if (!submittersSecret(project)) return false;
  if (!LOTTERY_METHODS.has(project.method)) return true;
  const result = project.result as { kind?: string } | null | undefined;
  const drawn = project.status === 'drawing' || project.status === 'submitting' || result?.kind === 'drawn' || result?.kind === 'lottery';
  return !drawn;
}

/**
 * Events that tell who takes part in a project (registrations, quotes, questions). For a sealed
 * method they go into the chain as commitments and are revealed at the opening, so no reader of
 * the audit log learns who or how many before it.
 */
export async function auditParticipation(tx: Executor, clock: Clock, project: { id: number; method: string }, entries: AuditEntry[]) {
  return SEALED_METHODS.has(project.method) ? appendSealedAudit(tx, clock, project.id, entries) : appendAuditMany(tx, clock, entries);
}
