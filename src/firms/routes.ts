import type { PlatformDeps } from '../platform/deps.js';
import { forbidden } from '../platform/errors.js';
import type { RouteTable } from '../platform/http/routes.js';
import { checkEligibility } from './eligibility.js';
import {
  debtorImportResponse,
  debtorImportSchema,
  debtorOverviewResponse,
  directoryQuery,
  eligibilityQuery,
  eligibilityResponse,
  firmDecisionResponse,
  firmDetailResponse,
  firmIdParams,
  firmListResponse,
  firmReviewSchema,
  profileSchema,
  qualificationParams,
  qualificationResponse,
  qualificationReviewSchema,
  qualificationSchema,
  reasonSchema,
} from './schemas.js';
import * as firms from './service.js';

const STAFF = ['staff', 'admin'] as const;

export function registerFirmRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.api({
    method: 'get',
    path: '/firms',
    access: 'public',
    summary: 'Directory of admitted intermediary firms (staff also see pending, suspended and rejected ones)',
    tags: ['firms'],
    query: directoryQuery,
    response: { status: 200, description: 'A page of firms', schema: firmListResponse },
    handler: async ({ query, user }) => {
      const { page, pageSize, q, service, minGrade } = query;
      return firms.listFirms(deps, user, { q, service, minGrade }, { page, pageSize });
    },
  });

  routes.api({
    method: 'get',
    path: '/firms/:id',
    access: 'public',
    summary: "A firm's public record; contacts and ID numbers only for staff and the firm itself",
    tags: ['firms'],
    params: firmIdParams,
    response: { status: 200, description: 'The firm', schema: firmDetailResponse },
    handler: ({ params, user }) => firms.getFirm(deps, user, params.id),
  });

  routes.api({
    method: 'put',
    path: '/firms/:id/profile',
    access: ['agency'],
    summary: 'Complete or change the firm profile (the firm itself)',
    tags: ['firms'],
    params: firmIdParams,
    body: profileSchema,
    response: { status: 200, description: 'The updated firm', schema: firmDetailResponse },
    handler: async ({ params, body, user }) => {
      await firms.updateProfile(deps, user!, params.id, body);
      return firms.getFirm(deps, user, params.id);
    },
  });

  routes.api({
    method: 'post',
    path: '/firms/:id/qualifications',
    access: ['agency'],
    summary: 'Add a qualification for a catalogue service; staff verify it',
    tags: ['firms'],
    params: firmIdParams,
    body: qualificationSchema,
    response: { status: 201, description: 'Added, pending review', schema: qualificationResponse },
    handler: ({ params, body, user }) => firms.addQualification(deps, user!, params.id, body),
  });

  routes.api({
    method: 'post',
    path: '/firms/:id/review',
    access: STAFF,
    summary: 'Admit or reject a pending firm, with a reason',
    tags: ['firms'],
    params: firmIdParams,
    body: firmReviewSchema,
    response: { status: 200, description: 'The decision', schema: firmDecisionResponse },
    errors: [409],
    handler: ({ params, body, user }) => firms.decideFirm(deps, user!, params.id, body.decision, body.reason),
  });

  routes.api({
    method: 'post',
    path: '/firms/:id/suspend',
    access: STAFF,
    summary: 'Suspend an admitted firm, with a reason',
    tags: ['firms'],
    params: firmIdParams,
    body: reasonSchema,
    response: { status: 200, description: 'Suspended', schema: firmDecisionResponse },
    errors: [409],
    handler: ({ params, body, user }) => firms.decideFirm(deps, user!, params.id, 'suspend', body.reason),
  });

  routes.api({
    method: 'post',
    path: '/firms/:id/reinstate',
    access: STAFF,
    summary: 'Reinstate a suspended firm, with a reason',
    tags: ['firms'],
    params: firmIdParams,
    body: reasonSchema,
    response: { status: 200, description: 'Reinstated', schema: firmDecisionResponse },
    errors: [409],
    handler: ({ params, body, user }) => firms.decideFirm(deps, user!, params.id, 'reinstate', body.reason),
  });

  routes.api({
    method: 'post',
    path: '/firms/:id/qualifications/:qualificationId/review',
    access: STAFF,
    summary: 'Verify or reject one qualification, with a reason',
    tags: ['firms'],
    params: qualificationParams,
    body: qualificationReviewSchema,
    response: { status: 200, description: 'The reviewed qualification', schema: qualificationResponse },
    errors: [409],
    handler: ({ params, body, user }) => firms.reviewQualification(deps, user!, params.id, params.qualificationId, body.decision, body.reason),
  });

  routes.api({
    method: 'get',
    path: '/firms/:id/eligibility',
    access: ['agency', 'staff', 'admin'],
    summary: 'May this firm take part in a project for a service now? Every failed rule is named',
    tags: ['firms'],
    params: firmIdParams,
    query: eligibilityQuery,
    response: { status: 200, description: '{eligible, failures: [{rule, message}]}', schema: eligibilityResponse },
    handler: async ({ params, query, user }) => {
      if (user!.role === 'agency' && user!.organizationId !== params.id) throw forbidden();
      return checkEligibility(deps.database.db, deps.clock, { firmId: params.id, serviceCode: query.service, minGrade: query.minGrade });
    },
  });

  routes.api({
    method: 'post',
    path: '/debtors/imports',
    access: STAFF,
    summary: "Import the courts' list of dishonest judgment debtors (CSV: name, uscc_or_id, case_number, court, date)",
    tags: ['joint punishment'],
    body: debtorImportSchema,
    response: { status: 201, description: 'Imported; the report names matching firms', schema: debtorImportResponse },
    errors: [422],
    handler: ({ body, user }) => firms.importDebtorList(deps, user!, body),
  });

  routes.api({
    method: 'get',
    path: '/debtors',
    access: STAFF,
    summary: 'The current debtor list import and the firms it matches',
    tags: ['joint punishment'],
    response: { status: 200, description: 'Latest import and matches', schema: debtorOverviewResponse },
    handler: () => firms.debtorOverview(deps),
  });
}
