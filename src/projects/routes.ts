import { z } from 'zod';
import type { PlatformDeps } from '../platform/deps.js';
import { badRequest } from '../platform/errors.js';
import type { RouteTable } from '../platform/http/routes.js';
import { selectDirectly } from '../selection/direct.js';
import { mySubmission, openedSubmissions, submitSealed } from '../selection/submissions.js';
import { presentProject } from './presenter.js';
import { getProject, listProjects } from './queries.js';
import { listRegistrants, myRegistration, registerForProject, withdrawRegistration } from './registration.js';
import { chooseFromShortlist, recordDrawWitnesses } from '../selection/lottery-options.js';
import {
  amendmentResponse,
  directSelectionBody,
  myRegistrationResponse,
  mySubmissionResponse,
  openedSubmissionsResponse,
  ownerChoiceBody,
  projectIdParams,
  projectListQuery,
  projectPage,
  projectResponse,
  projectTermsSchema,
  reasonBody,
  receiptSchema,
  registrantsResponse,
  registrationBody,
  registrationResponse,
  submissionBody,
  witnessesBody,
  witnessesResponse,
} from './schemas.js';
import { amendTerms, cancelProject, cloneProject, createProject, publishProject, updateDraft } from './service.js';
import { scheduleDeadlines } from './jobs.js';
import { text } from '../platform/text.js';

const amendmentBody = z.object({
  description: text().trim().min(1).max(5000).optional(),
  budgetFen: z.number().int().positive().max(1e13).optional(),
  registrationClosesAt: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
  submissionClosesAt: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional(),
  reason: text().trim().min(2).max(1000),
});

const idempotencyKey = (value: string | undefined) => {
  if (value !== undefined && !/^[\w.:-]{1,100}$/.test(value)) throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1–100 letters, digits or _ . : -');
  return value;
};

export function registerProjectRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const tags = ['projects'];
  routes.api({
    method: 'get', path: '/projects', access: 'public', tags,
    summary: 'Published projects (status computed from the clock); owners add mine=true for their drafts too',
    query: projectListQuery.extend({ mine: z.enum(['true', 'false']).optional() }),
    response: { status: 200, description: 'A page of projects', schema: projectPage },
    handler: ({ query, user }) => listProjects(deps, user, { ...query, mine: query.mine === 'true' }, query),
  });
  routes.api({
    method: 'post', path: '/projects', access: ['owner'], tags,
    summary: 'Create a draft project for a published service item', body: projectTermsSchema,
    response: { status: 201, description: 'The draft', schema: projectResponse },
    handler: async ({ body, user }) => presentProject(await createProject(deps, user!, body), user),
  });
  routes.api({
    method: 'get', path: '/projects/:id', access: 'public', tags, params: projectIdParams,
    summary: 'A project; after the opening it carries every price', response: { status: 200, description: 'The project', schema: projectResponse },
    handler: ({ params, user }) => getProject(deps, user, params.id),
  });
  routes.api({
    method: 'put', path: '/projects/:id', access: ['owner'], tags, params: projectIdParams, body: projectTermsSchema,
    summary: 'Edit a draft', response: { status: 200, description: 'The draft', schema: projectResponse }, errors: [409],
    handler: async ({ params, body, user }) => presentProject(await updateDraft(deps, user!, params.id, body), user),
  });
  routes.api({
    method: 'post', path: '/projects/:id/publish', access: ['owner'], tags, params: projectIdParams,
    summary: 'Publish: registration opens; lottery methods commit their seed', response: { status: 200, description: 'Published', schema: projectResponse }, errors: [409],
    handler: async ({ params, user }) => {
      const project = await publishProject(deps, user!, params.id);
      await scheduleDeadlines(deps, project);
      return presentProject(project, user);
    },
  });
  routes.api({
    method: 'post', path: '/projects/:id/cancel', access: ['owner'], tags, params: projectIdParams, body: reasonBody,
    summary: 'Cancel with a reason (before the result)', response: { status: 200, description: 'Cancelled', schema: projectResponse }, errors: [409],
    handler: async ({ params, body, user }) => presentProject(await cancelProject(deps, user!, params.id, body.reason), user),
  });
  routes.api({
    method: 'post', path: '/projects/:id/clone', access: ['owner'], tags, params: projectIdParams,
    summary: 'Copy a failed or cancelled project into a new draft', response: { status: 201, description: 'The new draft', schema: projectResponse }, errors: [409],
    handler: async ({ params, user }) => presentProject(await cloneProject(deps, user!, params.id), user),
  });
  routes.api({
    method: 'post', path: '/projects/:id/amendments', access: ['owner'], tags, params: projectIdParams, body: amendmentBody,
    summary: 'Change the terms of a published project; open submissions become invalid and firms are told',
    response: { status: 200, description: 'Amended', schema: amendmentResponse }, errors: [409],
    handler: async ({ params, body, user }) => {
      const { project } = await amendTerms(deps, user!, params.id, body);
      await scheduleDeadlines(deps, project);
      return { project: presentProject(project, user) };
    },
  });
  routes.api({
    method: 'post', path: '/projects/:id/registrations', access: ['agency'], tags, params: projectIdParams, body: registrationBody,
    summary: 'Register the firm (报名) while registration is open; refusals name every failed rule',
    response: { status: 201, description: 'Registered', schema: registrationResponse }, errors: [409, 422],
    handler: async ({ params, body, user }) => {
      const registration = await registerForProject(deps, user!, params.id, body.entropy);
      return { projectId: params.id, status: registration.status, registeredAt: registration.createdAt };
    },
  });
  routes.api({
    method: 'delete', path: '/projects/:id/registrations/mine', access: ['agency'], tags, params: projectIdParams,
    summary: 'Withdraw before registration closes', response: { status: 204, description: 'Withdrawn' }, errors: [409],
    handler: async ({ params, user }) => {
      await withdrawRegistration(deps, user!, params.id);
      return undefined;
    },
  });
  routes.api({
    method: 'get', path: '/projects/:id/registrations/mine', access: ['agency'], tags, params: projectIdParams,
    summary: "The firm's own registration", response: { status: 200, description: 'Registration', schema: myRegistrationResponse },
    handler: ({ params, user }) => myRegistration(deps, user!, params.id),
  });
  routes.api({
    method: 'get', path: '/projects/:id/registrations', access: 'public', tags, params: projectIdParams,
    summary: 'Registrants: staff only until registration closes, then public', response: { status: 200, description: 'Registrants', schema: registrantsResponse }, errors: [403],
    handler: async ({ params, user }) => ({ items: await listRegistrants(deps, user, params.id) }),
  });
  routes.api({
    method: 'post', path: '/projects/:id/submissions', access: ['agency'], tags, params: projectIdParams, body: submissionBody,
    summary: 'Submit or replace a sealed quote until the deadline; send Idempotency-Key to make retries safe',
    response: { status: 201, description: 'Receipt: time and SHA-256 of what was stored', schema: receiptSchema }, errors: [409, 422],
    handler: async ({ params, body, user, req, res }) => {
      const { receipt, replayed } = await submitSealed(deps, user!, params.id, body, idempotencyKey(req.get('idempotency-key')));
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      return receipt;
    },
  });
  routes.api({
    method: 'get', path: '/projects/:id/submissions/mine', access: ['agency'], tags, params: projectIdParams,
    summary: "The firm's own current submission and receipt", response: { status: 200, description: 'Submission', schema: mySubmissionResponse },
    handler: ({ params, user }) => mySubmission(deps, user!, params.id),
  });
  routes.api({
    method: 'get', path: '/projects/:id/submissions', access: 'authenticated', tags, params: projectIdParams,
    summary: 'All submissions: 403 for everyone before the opening; then the owner and staff',
    response: { status: 200, description: 'Opened submissions', schema: openedSubmissionsResponse },
    handler: ({ params, user }) => openedSubmissions(deps, user, params.id),
  });
  routes.api({
    method: 'post', path: '/projects/:id/direct-selection', access: ['owner'], tags, params: projectIdParams, body: directSelectionBody,
    summary: 'Direct selection (直接选取) of one eligible firm with a written reason', response: { status: 200, description: 'Selected; the result is public', schema: projectResponse }, errors: [409, 422],
    handler: async ({ params, body, user }) => presentProject(await selectDirectly(deps, user!, params.id, body.firmId, body.reason), user),
  });
  routes.api({
    method: 'post', path: '/projects/:id/owner-choice', access: ['owner'], tags, params: projectIdParams, body: ownerChoiceBody,
    summary: "Owner's choice (自主选择): pick the winners from the drawn shortlist with a written reason", response: { status: 200, description: 'Chosen; the result is public', schema: projectResponse }, errors: [409, 422],
    handler: async ({ params, body, user }) => presentProject(await chooseFromShortlist(deps, user!, params.id, body.firmIds, body.reason), user),
  });
  routes.api({
    method: 'post', path: '/projects/:id/witnesses', access: ['owner', 'staff', 'admin'], tags, params: projectIdParams, body: witnessesBody,
    summary: "Name up to three witnesses of the project's draw (before the draw; replaces the list)", response: { status: 200, description: 'Stored and audited', schema: witnessesResponse }, errors: [409],
    handler: ({ params, body, user }) => recordDrawWitnesses(deps, user!, params.id, body.witnesses),
  });
}
