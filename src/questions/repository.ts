import { and, asc, eq, gte, isNull, lt } from 'drizzle-orm';
import type { Executor } from '../platform/db/index.js';
import { projects } from '../projects/tables.js';
import { projectQuestions } from './tables.js';

export type QuestionRow = typeof projectQuestions.$inferSelect;

export async function insertQuestion(tx: Executor, values: typeof projectQuestions.$inferInsert): Promise<QuestionRow> {
  const [row] = await tx.insert(projectQuestions).values(values).returning();
  return row!;
}

export async function findQuestion(db: Executor, id: number, options: { lock?: boolean } = {}): Promise<QuestionRow | undefined> {
  const query = db.select().from(projectQuestions).where(eq(projectQuestions.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function recordAnswer(tx: Executor, id: number, values: { answer: string; answeredAt: Date; answeredBy: number }): Promise<QuestionRow> {
  const [row] = await tx.update(projectQuestions).set(values).where(eq(projectQuestions.id, id)).returning();
  return row!;
}

export async function questionsOfProject(db: Executor, projectId: number): Promise<QuestionRow[]> {
  return db.select().from(projectQuestions).where(eq(projectQuestions.projectId, projectId)).orderBy(asc(projectQuestions.askedAt), asc(projectQuestions.id));
}

/** Every question asked on any project of this owner: what the reply rates are computed from. */
export async function questionsOfOwner(db: Executor, ownerId: number) {
  return db
    .select({ askedAt: projectQuestions.askedAt, answerDueAt: projectQuestions.answerDueAt, answeredAt: projectQuestions.answeredAt })
    .from(projectQuestions)
    .innerJoin(projects, eq(projects.id, projectQuestions.projectId))
    .where(eq(projects.ownerId, ownerId));
}

/** Unanswered questions whose answer limit falls in [from, to): the owner must act. */
export async function unansweredDue(db: Executor, from: Date, to: Date) {
  return db
    .select({ id: projectQuestions.id, projectId: projectQuestions.projectId, answerDueAt: projectQuestions.answerDueAt, title: projects.title, ownerId: projects.ownerId })
    .from(projectQuestions)
    .innerJoin(projects, eq(projects.id, projectQuestions.projectId))
    .where(and(isNull(projectQuestions.answeredAt), gte(projectQuestions.answerDueAt, from), lt(projectQuestions.answerDueAt, to)));
}
