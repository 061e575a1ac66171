import { appendAudit } from '../audit/service.js';
import * as awards from '../awards/repository.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import * as projects from '../projects/repository.js';
import * as repository from './repository.js';

export const SYSTEM_CONTRACTS = 'system:contracts';

/**
 * An `awarded` project becomes `contracted` once no offer is open, at least one award was
 * accepted and every accepted award has its contract. Called after a contract is recorded and
 * after an offer ends with nobody left to pass it to.
 */
export async function markContractedIfSigned(tx: Tx, deps: Pick<PlatformDeps, 'clock'>, project: projects.ProjectRow): Promise<projects.ProjectRow> {
  if (project.status !== 'awarded') return project;
  const rows = await awards.projectAwards(tx, project.id);
  if (rows.some((award) => award.status === 'offered')) return project;
  const accepted = rows.filter((award) => award.status === 'accepted');
  if (accepted.length === 0) return project;
  const contracts = await repository.projectContracts(tx, project.id);
  const signed = new Set(contracts.map((contract) => contract.awardId));
  if (!accepted.every((award) => signed.has(award.id))) return project;
  const contracted = await projects.updateProject(tx, project.id, { status: 'contracted', updatedAt: deps.clock.now() });
  await appendAudit(tx, deps.clock, { actor: SYSTEM_CONTRACTS, action: 'project.contracted', entityType: 'project', entityId: project.id, data: { contracts: contracts.length } });
  return contracted;
}
