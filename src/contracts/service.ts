import { appendAudit } from '../audit/service.js';
import * as awards from '../awards/repository.js';
import * as catalog from '../catalog/repository.js';
import { recordEvent } from '../credit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import { badRequest, conflict, forbidden, notFound } from '../platform/errors.js';
import { actorOf, isStaff, type CurrentUser } from '../platform/http/access.js';
import { attachFiles } from '../platform/files/service.js';
import { formatFen } from '../platform/money.js';
import { shanghaiDate } from '../platform/time.js';
import * as projects from '../projects/repository.js';
import { announce, isOwnerOf } from '../projects/service.js';
import { settleProject } from '../selection/settle.js';
import * as repository from './repository.js';
import { RATING_ASPECTS, type CompletionInput, type ContractInput, type DeliveryInput, type RatingScores } from './schemas.js';
import { deliveryDueAt, isOverdue } from './timer.js';
import { markContractedIfSigned, SYSTEM_CONTRACTS } from './contracted.js';

export { SYSTEM_CONTRACTS };
export const CONTRACT_FILE_PURPOSE = 'contract';
export const DELIVERABLE_FILE_PURPOSE = 'deliverable';

/** A rating whose mean of the five scores is at least this is good for credit; at most POOR, poor. */
export const GOOD_RATING_MEAN = 4;
export const POOR_RATING_MEAN = 2;

const field = (path: string, message: string, code = 'validation_failed') => badRequest(code, message, [{ path: `body.${path}`, message }]);

async function lockProject(tx: Tx, projectId: number) {
  const project = await projects.findProject(tx, projectId, { lock: true });
  if (!project || project.status === 'draft') throw notFound('Project');
  return project;
}

function requireOwner(user: CurrentUser, project: projects.ProjectRow) {
  if (!isOwnerOf(user, project)) throw forbidden('Only the project owner can do this');
}

function requireStatus(project: projects.ProjectRow, allowed: string[], what: string) {
  if (!allowed.includes(project.status)) throw conflict('wrong_status', `A project in ${project.status} cannot ${what}`).with({ status: project.status });
}

/**
 * The owner records the contract signed on an accepted award: amount at most the winning price
 * (a lottery result has no price: at most the budget), signed on a past date, with the scan.
 * The project is `contracted` once every accepted award has its contract and no offer is open.
 */
export async function recordContract(deps: PlatformDeps, user: CurrentUser, projectId: number, input: ContractInput) {
  await settleProject(deps, projectId);
  return deps.database.transaction(async (tx) => {
    const project = await lockProject(tx, projectId);
    requireOwner(user, project);
    requireStatus(project, ['awarded'], 'record a contract');
    const accepted = await awards.acceptedAwards(tx, projectId);
    const existing = await repository.projectContracts(tx, projectId);
    const signed = new Set(existing.map((contract) => contract.awardId));
    const open = accepted.filter((award) => !signed.has(award.id));
    let award: (typeof accepted)[number] | undefined;
    if (input.awardId !== undefined) {
      award = accepted.find((candidate) => candidate.id === input.awardId);
      if (!award) throw conflict('award_not_accepted', `Award ${input.awardId} of this project has not been accepted`);
      if (signed.has(award.id)) throw conflict('contract_exists', 'This award already has its contract');
    } else {
      if (open.length === 0) throw conflict('award_not_accepted', 'No accepted award is waiting for a contract');
      if (open.length > 1) throw field('awardId', 'Several accepted awards wait for a contract: name the award');
      award = open[0]!;
    }
    const limit = award.amountFen ?? project.budgetFen;
    if (input.amountFen > limit) {
      throw field('amountFen', `The contract amount cannot exceed the ${award.amountFen === null ? 'budget' : 'winning price'} of ${formatFen(limit)} (${limit} fen)`, 'amount_above_winning_price').with({ limitFen: limit });
    }
    const today = shanghaiDate(deps.clock.now());
    if (input.signedOn > today) throw field('signedOn', `The signing date cannot be in the future (today is ${today})`);
    if (input.signedOn < shanghaiDate(award.respondedAt)) throw field('signedOn', 'The contract cannot be signed before the award was accepted');
    const [file] = await attachFiles(tx, [input.fileId], { organizationId: user.organizationId, purpose: CONTRACT_FILE_PURPOSE, field: 'fileId' });
    const promisedDays = award.promisedDays ?? (await catalog.findItem(tx, project.serviceCode))?.timeLimitDays;
    if (!promisedDays) throw conflict('no_time_limit', `Neither the award nor service item ${project.serviceCode} gives a time limit`);
    const now = deps.clock.now();
    const contract = await repository.insertContract(tx, {
      projectId,
      awardId: award.id,
      firmId: award.firmId,
      amountFen: input.amountFen,
      signedOn: input.signedOn,
      promisedDays,
      fileId: file!.id,
      recordedBy: user.id,
      recordedAt: now,
    });
    await appendAudit(tx, deps.clock, {
      actor: actorOf(user),
      action: 'contract.signed',
      entityType: 'project',
      entityId: projectId,
      data: { contractId: contract.id, awardId: award.id, firmId: award.firmId, amountFen: input.amountFen, signedOn: input.signedOn, promisedDays, fileSha256: file!.sha256 },
    });
    const [firm] = await projects.findOrganizationsByIds(tx, [award.firmId]);
    await announce(tx, deps, project, 'contract_signed', `合同公告：${project.title}`, `${firm?.name ?? ''} 于 ${input.signedOn} 签订服务合同，合同金额 ${formatFen(input.amountFen)}，承诺服务时限 ${promisedDays} 个工作日。`);
    await markContractedIfSigned(tx, deps, project);
    return contract;
  });
}

/** The firm marks delivery of its deliverables (服务成果); the project is `delivered` once every contract is. */
export async function recordDelivery(deps: PlatformDeps, user: CurrentUser, projectId: number, input: DeliveryInput) {
  return deps.database.transaction(async (tx) => {
    const project = await lockProject(tx, projectId);
    const contracts = await repository.projectContracts(tx, projectId);
    const contract = contracts.find((row) => user.role === 'agency' && row.firmId === user.organizationId);
    if (!contract) {
      const awarded = (await awards.acceptedAwards(tx, projectId)).some((award) => user.role === 'agency' && award.firmId === user.organizationId);
      if (!awarded) throw forbidden('Only the contracted firm can mark delivery');
      throw conflict('wrong_status', 'The contract is not on record yet');
    }
    requireStatus(project, ['contracted'], 'take a delivery');
    if (contract.deliveredAt) throw conflict('already_delivered', 'The delivery is already on record');
    const files = await attachFiles(tx, input.fileIds, { organizationId: user.organizationId, purpose: DELIVERABLE_FILE_PURPOSE });
    const now = deps.clock.now();
    await repository.updateContract(tx, contract.id, { deliveredAt: now, deliveryNote: input.note, deliveryFileIds: files.map((file) => file.id), deliveredBy: user.id });
    await appendAudit(tx, deps.clock, {
      actor: actorOf(user),
      action: 'contract.delivered',
      entityType: 'project',
      entityId: projectId,
      data: { contractId: contract.id, files: files.map((file) => ({ id: file.id, sha256: file.sha256 })) },
    });
    if (contracts.every((row) => row.id === contract.id || row.deliveredAt)) {
      await projects.updateProject(tx, projectId, { status: 'delivered', updatedAt: now });
    }
    return { ...contract, deliveredAt: now };
  });
}

const scoreSum = (scores: RatingScores) => RATING_ASPECTS.reduce((sum, aspect) => sum + scores[aspect], 0);

/**
 * The owner accepts the delivery (验收) and rates the firm. The service timer stops; delivery
 * is judged on time or overdue against the promised working days, and both that and a good or
 * poor rating become credit events of the firm.
 */
export async function completeContract(deps: PlatformDeps, user: CurrentUser, projectId: number, input: CompletionInput) {
  return deps.database.transaction(async (tx) => {
    const project = await lockProject(tx, projectId);
    requireOwner(user, project);
    requireStatus(project, ['contracted', 'delivered'], 'be accepted');
    const contracts = await repository.projectContracts(tx, projectId);
    const waiting = contracts.filter((row) => row.deliveredAt && !row.completedAt);
    const contract = input.contractId !== undefined ? waiting.find((row) => row.id === input.contractId) : waiting.length === 1 ? waiting[0] : undefined;
    if (!contract) {
      if (waiting.length > 1 && input.contractId === undefined) throw field('contractId', 'Several deliveries await acceptance: name the contract');
      throw conflict('not_delivered', 'There is no delivered contract awaiting acceptance');
    }
    const now = deps.clock.now();
    const overdue = isOverdue(contract.deliveredAt!, await deliveryDueAt(tx, contract));
    await repository.updateContract(tx, contract.id, { completedAt: now, completedBy: user.id, overdue: overdue ? 'overdue' : 'on_time' });
    const rating = await repository.insertRating(tx, {
      contractId: contract.id,
      projectId,
      firmId: contract.firmId,
      ownerId: project.ownerId,
      ...input.ratings,
      comment: input.comment,
      ratedBy: user.id,
      ratedAt: now,
    });
    await appendAudit(tx, deps.clock, {
      actor: actorOf(user),
      action: 'contract.completed',
      entityType: 'project',
      entityId: projectId,
      data: { contractId: contract.id, ratingId: rating.id, ratings: input.ratings, comment: input.comment, overdue },
    });
    const source = `project:${projectId}`;
    await recordEvent(tx, deps, SYSTEM_CONTRACTS, {
      firmId: contract.firmId,
      kind: overdue ? 'delivery_overdue' : 'delivery_on_time',
      occurredAt: contract.deliveredAt!,
      source,
      note: overdue ? `逾期交付服务成果（项目 ${projectId}）` : `按时交付服务成果（项目 ${projectId}）`,
    });
    const sum = scoreSum(input.ratings);
    if (sum >= GOOD_RATING_MEAN * RATING_ASPECTS.length || sum <= POOR_RATING_MEAN * RATING_ASPECTS.length) {
      const good = sum >= GOOD_RATING_MEAN * RATING_ASPECTS.length;
      await recordEvent(tx, deps, SYSTEM_CONTRACTS, {
        firmId: contract.firmId,
        kind: good ? 'owner_rating_good' : 'owner_rating_poor',
        source,
        note: `业主评价平均 ${(sum / RATING_ASPECTS.length).toFixed(1)} 分（项目 ${projectId}）`,
      });
    }
    if (contracts.every((row) => row.id === contract.id || row.completedAt)) {
      const completed = await projects.updateProject(tx, projectId, { status: 'completed', updatedAt: now });
      await announce(tx, deps, completed, 'project_completed', `验收公告：${project.title}`, `服务成果已通过业主验收，${overdue ? '交付逾期' : '按期交付'}。`);
    }
    return rating;
  });
}

/** The rated firm answers a rating once, in public. */
export async function replyToRating(deps: PlatformDeps, user: CurrentUser, ratingId: number, reply: string) {
  return deps.database.transaction(async (tx) => {
    const rating = await repository.findRating(tx, ratingId, { lock: true });
    if (!rating) throw notFound('Rating');
    if (user.role !== 'agency' || user.organizationId !== rating.firmId) throw forbidden('Only the rated firm can reply');
    if (rating.reply !== null) throw conflict('already_replied', 'The firm has already replied to this rating');
    const updated = await repository.updateRating(tx, ratingId, { reply, repliedAt: deps.clock.now(), repliedBy: user.id });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'rating.replied', entityType: 'rating', entityId: ratingId, data: { reply } });
    return updated;
  });
}

/** Staff hide an abusive comment: the audit log keeps it, the scores never change. */
export async function hideRatingComment(deps: PlatformDeps, user: CurrentUser, ratingId: number, reason: string) {
  if (!isStaff(user)) throw forbidden();
  return deps.database.transaction(async (tx) => {
    const rating = await repository.findRating(tx, ratingId, { lock: true });
    if (!rating) throw notFound('Rating');
    if (rating.commentHiddenAt) throw conflict('already_hidden', 'The comment is already hidden');
    const updated = await repository.updateRating(tx, ratingId, { commentHiddenAt: deps.clock.now(), commentHiddenReason: reason, commentHiddenBy: user.id });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'rating.comment_hidden', entityType: 'rating', entityId: ratingId, data: { reason, comment: rating.comment } });
    return updated;
  });
}

