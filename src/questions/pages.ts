import type { Request } from 'express';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { parseForm } from '../platform/http/forms.js';
import type { RouteTable } from '../platform/http/routes.js';
import type { Translate } from '../platform/i18n/index.js';
import * as repository from './repository.js';
import { projectParams, questionParams, textBody } from './schemas.js';
import { answerQuestion, askQuestion, listQuestions, ownerQuestionStats } from './service.js';

/** What a ?qa=… on the project page may report after a question form. */
const OUTCOMES = ['asked', 'answered', 'questions_closed', 'already_answered', 'forbidden', 'validation_failed'] as const;

/** The Q&A block of the project page: questions, answers, the owner's rates and the forms. */
export async function questionsBlock(deps: PlatformDeps, req: Request, project: { id: number; ownerId: number; status: string }) {
  if (project.status === 'draft') return undefined;
  const t: Translate = req.res!.locals.t;
  const user: CurrentUser | undefined = req.currentUser;
  const isOwner = user?.role === 'owner' && user.organizationId === project.ownerId;
  const { items, open } = await listQuestions(deps, user, project.id);
  const stats = await ownerQuestionStats(deps, project.ownerId);
  const outcome = typeof req.query.qa === 'string' && (OUTCOMES as readonly string[]).includes(req.query.qa) ? req.query.qa : undefined;
  return {
    items,
    canAsk: open && user?.role === 'agency',
    canAnswer: isOwner,
    stats,
    outcome: outcome && t(`questions.outcomes.${outcome}`),
    outcomeIsError: outcome !== undefined && outcome !== 'asked' && outcome !== 'answered',
  };
}

const codeOf = (error: unknown): string => {
  if (!(error instanceof AppError) || error.status >= 500 || error.status === 401 || error.status === 404 || error.status === 429) throw error;
  return (OUTCOMES as readonly string[]).includes(error.code) ? error.code : error.status === 403 ? 'forbidden' : 'validation_failed';
};

export function registerQuestionPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'post', path: '/projects/:id/questions', access: ['agency'], params: projectParams,
    handler: async ({ params, body, user }) => {
      let outcome = 'asked';
      try {
        const parsed = parseForm(textBody, { text: (body as Record<string, unknown>).text ?? '' });
        if (!parsed.ok) throw new AppError(400, 'validation_failed', 'The question is not valid', parsed.errors);
        await askQuestion(deps, user!, params.id, parsed.value.text);
      } catch (error) {
        outcome = codeOf(error);
      }
      return { redirect: `/projects/${params.id}?qa=${outcome}#questions` };
    },
  });
  routes.page({
    method: 'post', path: '/questions/:id/answer', access: ['owner'], params: questionParams,
    handler: async ({ params, body, user }) => {
      const question = await repository.findQuestion(deps.database.db, params.id);
      if (!question) throw new AppError(404, 'not_found', 'Question was not found');
      let outcome = 'answered';
      try {
        const parsed = parseForm(textBody, { text: (body as Record<string, unknown>).text ?? '' });
        if (!parsed.ok) throw new AppError(400, 'validation_failed', 'The answer is not valid', parsed.errors);
        await answerQuestion(deps, user!, params.id, parsed.value.text);
      } catch (error) {
        outcome = codeOf(error);
      }
      return { redirect: `/projects/${question.projectId}?qa=${outcome}#questions` };
    },
  });
}
