import { auditParticipation, registrantsSecret } from './secrecy.js';
import { checkEligibility, checkEligibilityOfMany, type CreditGrade, type EligibilityRule, type RuleFailure } from '../firms/eligibility.js';
import { entropyProblem } from '../lottery/algorithm/index.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Executor } from '../platform/db/index.js';
import { AppError, conflict, forbidden, notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import * as repository from './repository.js';
import { settleProject } from '../selection/settle.js';

/** How many unfinished projects a firm may hold per service item (a load cap). */
export const DEFAULT_UNFINISHED_CAP = 5;

/** The project's own rules on top of the firm registry's: conflict avoidance (回避) and load. */
export function projectRules(project: repository.ProjectRow, cap = DEFAULT_UNFINISHED_CAP): EligibilityRule[] {
  const avoidanceAndLoad: EligibilityRule = async ({ db, firms }) => {
    const facts = await repository.projectFirmFacts(db, project, firms.map((firm) => firm.id));
    return (firm) => {
      const failures: RuleFailure[] = [];
      const avoided = (project.avoidFirms as { firmId: number; reason: string }[]).find((avoid) => avoid.firmId === firm.id);
      if (avoided) failures.push({ rule: 'avoided_by_owner', message: `The owner avoids this firm: ${avoided.reason}` });
      const { held, here, relatedToOwner } = facts.get(firm.id) ?? { held: 0, here: false, relatedToOwner: false };
      if (relatedToOwner) failures.push({ rule: 'related_to_owner', message: 'The firm shares its unified social credit code or legal representative with the owner' });
      if (held - (here ? 1 : 0) >= cap) {
        failures.push({ rule: 'too_many_unfinished_projects', message: `The firm already holds ${held} unfinished projects for ${project.serviceCode} (cap ${cap})` });
      }
      return failures;
    };
  };
  return [avoidanceAndLoad];
}

const questionOf = (project: repository.ProjectRow) => ({ serviceCode: project.serviceCode, minGrade: (project.minCreditGrade ?? undefined) as CreditGrade | undefined });

export function eligibilityFor(db: Executor, deps: Pick<PlatformDeps, 'clock'>, project: repository.ProjectRow, firmId: number) {
  return checkEligibility(db, deps.clock, { firmId, ...questionOf(project) }, projectRules(project));
}

/** Eligibility of several firms for one project, each rule one query for all of them. */
export function eligibilityOfMany(db: Executor, deps: Pick<PlatformDeps, 'clock'>, project: repository.ProjectRow, firmIds: number[]) {
  return checkEligibilityOfMany(db, deps.clock, { firmIds, ...questionOf(project) }, projectRules(project));
}

/** A 422 naming every failed rule; `doing` says what was refused ("register", "submit" …). */
export function notEligible(failures: RuleFailure[], doing = 'register'): AppError {
  const error = new AppError(422, 'not_eligible', `The firm may not ${doing}: ${failures.map((f) => f.rule).join(', ')}`);
  error.extensions = { failures };
  return error;
}

function requireFirm(user: CurrentUser): number {
  if (user.role !== 'agency' || !user.organizationId) throw forbidden('Only intermediary firms register');
  return user.organizationId;
}

/** Registration (报名) while it is open by the clock; every failed eligibility rule is named. */
export async function registerForProject(deps: PlatformDeps, user: CurrentUser, projectId: number, entropy?: string) {
  const firmId = requireFirm(user);
  await settleProject(deps, projectId);
  const normalisedEntropy = entropy?.normalize('NFC') || undefined;
  if (normalisedEntropy) {
    const problem = entropyProblem(normalisedEntropy);
    if (problem) throw new AppError(400, 'invalid_entropy', problem, [{ path: 'body.entropy', message: problem }]);
  }
  return deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: true });
    if (!project || project.status === 'draft') throw notFound('Project');
    if (project.method === 'direct') throw conflict('no_registration', 'Direct selection takes no registrations');
    if (project.status !== 'registering' || project.registrationClosesAt <= deps.clock.now()) {
      throw conflict('registration_closed', 'Registration for this project is closed');
    }
    if (await repository.findActiveRegistration(tx, projectId, firmId)) throw conflict('already_registered', 'The firm is already registered');
    const answer = await eligibilityFor(tx, deps, project, firmId);
    if (!answer.eligible) throw notEligible(answer.failures);
    const now = deps.clock.now();
    const registration = await repository.insertRegistration(tx, { projectId, firmId, entropy: normalisedEntropy ?? null, status: 'active', createdAt: now, updatedAt: now });
    await auditParticipation(tx, deps.clock, project, [{ actor: `user:${user.id}`, action: 'registration.created', entityType: 'registration', entityId: registration.id, data: { projectId, firmId, entropy: normalisedEntropy } }]);
    return registration;
  });
}

export async function withdrawRegistration(deps: PlatformDeps, user: CurrentUser, projectId: number) {
  const firmId = requireFirm(user);
  await settleProject(deps, projectId);
  return deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: true });
    if (!project) throw notFound('Project');
    if (project.status !== 'registering' || project.registrationClosesAt <= deps.clock.now()) throw conflict('registration_closed', 'Registration is closed; it can no longer be withdrawn');
    const registration = await repository.findActiveRegistration(tx, projectId, firmId, { lock: true });
    if (!registration) throw notFound('Registration');
    await repository.updateRegistration(tx, registration.id, { status: 'withdrawn', updatedAt: deps.clock.now() });
    await auditParticipation(tx, deps.clock, project, [{ actor: `user:${user.id}`, action: 'registration.withdrawn', entityType: 'registration', entityId: registration.id, data: { projectId, firmId } }]);
  });
}

/**
 * Registrants: for a sealed method secret from everyone, staff included, until the opening (a
 * lottery's candidates are public from the draw); otherwise for staff only until registration
 * closes, then public.
 */
export async function listRegistrants(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number) {
  const project = await settleProject(deps, projectId);
  if (!project || project.status === 'draft') throw notFound('Project');
  if (registrantsSecret(project)) throw new AppError(403, 'registrants_sealed', 'Who registered, and how many, is sealed until the opening');
  const open = project.status === 'registering';
  const staff = isStaff(viewer);
  if (open && !staff) throw forbidden('Who registered is confidential until registration closes');
  const rows = await repository.allRegistrations(deps.database.db, projectId);
  const firms = await repository.findOrganizationsByIds(deps.database.db, rows.map((row) => row.firmId));
  return rows
    .filter((row) => staff || row.status !== 'withdrawn')
    .map((row) => {
      const firm = firms.find((candidate) => candidate.id === row.firmId)!;
      return { firmId: row.firmId, name: firm.name, uscc: firm.uscc, status: row.status, statusReason: row.statusReason };
    });
}

export async function myRegistration(deps: PlatformDeps, user: CurrentUser, projectId: number) {
  const firmId = requireFirm(user);
  const registration = await repository.findActiveRegistration(deps.database.db, projectId, firmId);
  if (!registration) throw notFound('Registration');
  return { projectId, status: registration.status, entropy: registration.entropy, registeredAt: registration.createdAt };
}
