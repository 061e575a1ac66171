import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import { projectIdParams } from '../projects/schemas.js';
import { decideObjection, fileObjection, listObjectionQueue, presentObjections } from './objections.js';
import { acceptAward, declineAward } from './offers.js';
import { awardOverview, presentAward } from './queries.js';
import { awardOverviewResponse, awardResponse, declineBody, objectionBody, objectionDecisionBody, objectionIdParams, objectionListQuery, objectionQueueResponse, objectionResponse } from './schemas.js';

export function registerAwardRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const tags = ['awards'];
  routes.api({
    method: 'get', path: '/projects/:id/award', access: 'public', tags, params: projectIdParams,
    summary: 'Publicity period, objections (who objected only for staff and the objector) and award offers with their deadlines',
    response: { status: 200, description: 'The state of the award', schema: awardOverviewResponse },
    handler: ({ params, user }) => awardOverview(deps, user, params.id),
  });
  routes.api({
    method: 'post', path: '/projects/:id/award/accept', access: ['agency'], tags, params: projectIdParams,
    summary: 'The offered firm accepts the award before its deadline (17:00 of the 5th working day)',
    response: { status: 200, description: 'The accepted award', schema: awardResponse }, errors: [409, 422],
    handler: async ({ params, user }) => presentAward(await acceptAward(deps, user!, params.id)),
  });
  routes.api({
    method: 'post', path: '/projects/:id/award/decline', access: ['agency'], tags, params: projectIdParams, body: declineBody,
    summary: 'The offered firm declines with a reason; the award passes to the next ranked alternate (recorded for credit)',
    response: { status: 200, description: 'The declined award', schema: awardResponse }, errors: [409],
    handler: async ({ params, body, user }) => presentAward(await declineAward(deps, user!, params.id, body.reason)),
  });
  routes.api({
    method: 'post', path: '/projects/:id/objections', access: ['agency'], tags, params: projectIdParams, body: objectionBody,
    summary: 'A registrant objects (异议) to the result during publicity; once per firm',
    response: { status: 201, description: 'The objection', schema: objectionResponse }, errors: [409],
    handler: async ({ params, body, user }) => (await presentObjections(deps, user, [await fileObjection(deps, user!, params.id, body)]))[0],
  });
  routes.api({
    method: 'get', path: '/objections', access: ['staff', 'admin'], tags, query: objectionListQuery,
    summary: 'Objections to results, pending or decided', response: { status: 200, description: 'Objections', schema: objectionQueueResponse },
    handler: async ({ query, user }) => ({ items: await listObjectionQueue(deps, user!, query.status) }),
  });
  routes.api({
    method: 'post', path: '/objections/:id/decision', access: ['staff', 'admin'], tags, params: objectionIdParams, body: objectionDecisionBody,
    summary: 'Uphold (with outcome reselect or fail) or dismiss an objection, with a reason',
    response: { status: 200, description: 'The decided objection', schema: objectionResponse }, errors: [409],
    handler: async ({ params, body, user }) => (await presentObjections(deps, user, [await decideObjection(deps, user!, params.id, body)]))[0],
  });
}
