import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import { ownerParams, ownerQuestionStatsResponse, projectParams, questionListResponse, questionParams, questionResponse, textBody } from './schemas.js';
import { answerQuestion, askQuestion, listQuestions, ownerQuestionStats } from './service.js';

export function registerQuestionRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const tags = ['questions'];
  routes.api({
    method: 'get', path: '/projects/:id/questions', access: 'public', tags, params: projectParams,
    summary: 'Questions and answers (答疑澄清); the asker is never shown', response: { status: 200, description: 'Questions', schema: questionListResponse },
    handler: ({ params, user }) => listQuestions(deps, user, params.id),
  });
  routes.api({
    method: 'post', path: '/projects/:id/questions', access: ['agency'], tags, params: projectParams, body: textBody,
    summary: 'Ask a question while registration or submission is open; the owner has 2 working days to answer',
    response: { status: 201, description: 'The question', schema: questionResponse }, errors: [409],
    handler: ({ params, body, user }) => askQuestion(deps, user!, params.id, body.text),
  });
  routes.api({
    method: 'post', path: '/questions/:id/answer', access: ['owner'], tags, params: questionParams, body: textBody,
    summary: "The project owner's public answer, once", response: { status: 200, description: 'The answered question', schema: questionResponse }, errors: [409],
    handler: ({ params, body, user }) => answerQuestion(deps, user!, params.id, body.text),
  });
  routes.api({
    method: 'get', path: '/owners/:id/question-stats', access: 'public', tags, params: ownerParams,
    summary: "An owner's reply rate and on-time reply rate over questions answered or past their limit",
    response: { status: 200, description: 'Rates as fractions and whole percent rounded down', schema: ownerQuestionStatsResponse },
    handler: ({ params }) => ownerQuestionStats(deps, params.id),
  });
}
