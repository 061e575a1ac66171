import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import {
  creditEventResponse,
  disputeDecisionSchema,
  disputeListResponse,
  disputeParams,
  disputeResponse,
  disputeSchema,
  eventParams,
  eventSchema,
  firmCreditResponse,
  firmParams,
  ruleVersionResponse,
  rulesResponse,
  rulesSchema,
} from './schemas.js';
import * as credit from './service.js';

const STAFF = ['staff', 'admin'] as const;

export function registerCreditRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.api({
    method: 'get',
    path: '/credit/rules',
    access: 'public',
    summary: 'The credit rule table in force and every earlier version (points per event kind, window in days)',
    tags: ['credit'],
    response: { status: 200, description: '{current, versions}', schema: rulesResponse },
    handler: () => credit.creditRules(deps),
  });

  routes.api({
    method: 'put',
    path: '/credit/rules',
    access: STAFF,
    summary: 'Replace the rule table: a new version in force from now; history keeps the versions it was computed with',
    tags: ['credit'],
    body: rulesSchema,
    response: { status: 200, description: 'The new version', schema: ruleVersionResponse },
    handler: ({ body, user }) => credit.replaceRules(deps, user!, body),
  });

  routes.api({
    method: 'get',
    path: '/firms/:id/credit',
    access: 'public',
    summary: "A firm's score (0–100), grade, blacklist flag, events and 12-month history",
    tags: ['credit'],
    params: firmParams,
    response: { status: 200, description: '{score, grade, blacklisted, events, history}', schema: firmCreditResponse },
    handler: ({ params }) => credit.firmCredit(deps, params.id),
  });

  routes.api({
    method: 'post',
    path: '/firms/:id/credit-events',
    access: STAFF,
    summary: 'Record a credit event (a violation, or a correction compensating an earlier event)',
    tags: ['credit'],
    params: firmParams,
    body: eventSchema,
    response: { status: 201, description: 'The event', schema: creditEventResponse },
    handler: ({ params, body, user }) => credit.recordStaffEvent(deps, user!, params.id, body),
  });

  routes.api({
    method: 'get',
    path: '/firms/:id/credit-disputes',
    access: ['agency', 'staff', 'admin'],
    summary: "A firm's disputes (the firm itself and staff)",
    tags: ['credit'],
    params: firmParams,
    response: { status: 200, description: 'Disputes, newest first', schema: disputeListResponse },
    handler: ({ params, user }) => credit.listDisputes(deps, user!, params.id),
  });

  routes.api({
    method: 'post',
    path: '/credit-events/:id/dispute',
    access: ['agency'],
    summary: 'The firm disputes one of its events, once',
    tags: ['credit'],
    params: eventParams,
    body: disputeSchema,
    response: { status: 201, description: 'The dispute', schema: disputeResponse },
    errors: [409],
    handler: ({ params, body, user }) => credit.disputeEvent(deps, user!, params.id, body.grounds),
  });

  routes.api({
    method: 'post',
    path: '/credit-disputes/:id/decision',
    access: STAFF,
    summary: 'Uphold (a correction cancels the event) or dismiss a dispute, with a reason',
    tags: ['credit'],
    params: disputeParams,
    body: disputeDecisionSchema,
    response: { status: 200, description: 'The decided dispute', schema: disputeResponse },
    errors: [409],
    handler: ({ params, body, user }) => credit.decideDispute(deps, user!, params.id, body.decision, body.reason),
  });
}
