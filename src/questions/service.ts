import { appendAudit } from '../audit/service.js';
import { addWorkingDaysLenient } from '../notifications/deadlines.js';
import { notify } from '../notifications/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { isoShanghai, shanghaiDate, shanghaiInstant } from '../platform/time.js';
import * as projects from '../projects/repository.js';
import { DEADLINE_TIME, isOwnerOf } from '../projects/service.js';
import { auditParticipation, SEALED_METHODS } from '../projects/secrecy.js';
import { settleProject } from '../selection/settle.js';
import * as repository from './repository.js';

/** The owner answers within this many working days of the question (closing 17:00 Asia/Shanghai). */
export const ANSWER_WORKING_DAYS = 2;

const actorOf = (user: CurrentUser) => `user:${user.id}`;

/** Open for questions: registering before its close, or submitting before the submission deadline. */
function questionsOpen(project: projects.ProjectRow, now: Date): boolean {
  if (project.status === 'registering') return project.registrationClosesAt > now;
  if (project.status === 'submitting') return project.submissionClosesAt !== null && project.submissionClosesAt > now;
  return false;
}

async function visibleProject(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number) {
  const project = await settleProject(deps, projectId);
  if (!project || (project.status === 'draft' && !isStaff(viewer) && !isOwnerOf(viewer, project))) throw notFound('Project');
  return project;
}

/** The public form of a question: never who asked. */
export function presentQuestion(row: repository.QuestionRow, now: Date) {
  return {
    id: row.id,
    projectId: row.projectId,
    text: row.text,
    askedAt: isoShanghai(row.askedAt),
    answerDueAt: isoShanghai(row.answerDueAt),
    answer: row.answer,
    answeredAt: row.answeredAt ? isoShanghai(row.answeredAt) : null,
    /** null while unanswered; an answer at the limit itself is late. */
    answeredOnTime: row.answeredAt ? row.answeredAt < row.answerDueAt : null,
    overdue: !row.answeredAt && row.answerDueAt <= now,
  };
}

export async function askQuestion(deps: PlatformDeps, user: CurrentUser, projectId: number, text: string) {
  const firmId = user.organizationId;
  if (user.role !== 'agency' || !firmId) throw forbidden('Only an intermediary firm may ask');
  const settled = await visibleProject(deps, user, projectId);
  const now = deps.clock.now();
  if (!questionsOpen(settled, now)) throw conflict('questions_closed', 'Questions are taken only while registration or submission is open');
  return deps.database.transaction(async (tx) => {
    const project = (await projects.findProject(tx, projectId, { lock: true }))!;
    if (!questionsOpen(project, now)) throw conflict('questions_closed', 'Questions are taken only while registration or submission is open');
    const answerDueAt = shanghaiInstant(await addWorkingDaysLenient(tx, shanghaiDate(now), ANSWER_WORKING_DAYS), DEADLINE_TIME);
    const question = await repository.insertQuestion(tx, { projectId, firmId, askedBy: user.id, text, askedAt: now, answerDueAt });
    await auditParticipation(tx, deps.clock, project, [{ actor: actorOf(user), action: 'question.asked', entityType: 'question', entityId: question.id, data: { projectId, firmId } }]);
    await notify(tx, deps, {
      organizationIds: [project.ownerId],
      kind: 'question.asked',
      subject: `答疑：「${project.title}」收到新的问题`,
      body: `请在 ${isoShanghai(answerDueAt).slice(0, 16).replace('T', ' ')} 前公开答复：${text.slice(0, 200)}`,
      link: `/projects/${projectId}#questions`,
    });
    return presentQuestion(question, now);
  });
}

export async function answerQuestion(deps: PlatformDeps, user: CurrentUser, questionId: number, text: string) {
  const existing = await repository.findQuestion(deps.database.db, questionId);
  if (!existing) throw notFound('Question');
  const project = (await projects.findProject(deps.database.db, existing.projectId))!;
  if (!isOwnerOf(user, project)) throw forbidden("Only the project's owner may answer");
  return deps.database.transaction(async (tx) => {
    const question = (await repository.findQuestion(tx, questionId, { lock: true }))!;
    if (question.answeredAt) throw conflict('already_answered', 'This question has been answered');
    const now = deps.clock.now();
    const answered = await repository.recordAnswer(tx, questionId, { answer: text, answeredAt: now, answeredBy: user.id });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'question.answered', entityType: 'question', entityId: questionId, data: { projectId: project.id, onTime: now < question.answerDueAt } });
    const registrants = await projects.activeRegistrations(tx, project.id);
    await notify(tx, deps, {
      organizationIds: [question.firmId, ...registrants.map((r) => r.firmId)],
      kind: 'question.answered',
      subject: `答疑：「${project.title}」的问题已答复`,
      body: `问：${question.text.slice(0, 200)}\n答：${text.slice(0, 500)}`,
      link: `/projects/${project.id}#questions`,
      ...(SEALED_METHODS.has(project.method) ? { sealedProjectId: project.id } : {}),
    });
    return presentQuestion(answered, now);
  });
}

export async function listQuestions(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number) {
  const project = await visibleProject(deps, viewer, projectId);
  const now = deps.clock.now();
  const rows = await repository.questionsOfProject(deps.database.db, projectId);
  return { items: rows.map((row) => presentQuestion(row, now)), open: questionsOpen(project, now) };
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** Rounded down, so a rate shows 100 only when every judged question met it; null with nothing judged. */
  percent: number | null;
}

const rate = (numerator: number, denominator: number): Rate => ({ numerator, denominator, percent: denominator ? Math.floor((numerator * 100) / denominator) : null });

/**
 * Reply rates of an owner. A question is judged once it is answered or its limit has passed;
 * one still inside its limit counts for neither rate yet.
 */
export async function ownerQuestionStats(deps: Pick<PlatformDeps, 'database' | 'clock'>, ownerId: number) {
  const [owner] = await projects.findOrganizationsByIds(deps.database.db, [ownerId]);
  if (!owner || owner.kind !== 'owner') throw notFound('Owner');
  const now = deps.clock.now();
  const rows = await repository.questionsOfOwner(deps.database.db, ownerId);
  const answered = rows.filter((r) => r.answeredAt).length;
  const answeredOnTime = rows.filter((r) => r.answeredAt && r.answeredAt < r.answerDueAt).length;
  const pending = rows.filter((r) => !r.answeredAt && r.answerDueAt > now).length;
  const judged = rows.length - pending;
  return {
    ownerId,
    ownerName: owner.name,
    asked: rows.length,
    answered,
    answeredOnTime,
    unansweredOverdue: judged - answered,
    pending,
    replyRate: rate(answered, judged),
    onTimeReplyRate: rate(answeredOnTime, judged),
  };
}
