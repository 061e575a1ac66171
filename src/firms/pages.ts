import type { Request } from 'express';
import { isStaff } from '../platform/http/access.js';
import { csrfTokenFor } from '../auth/middleware.js';
import { findOrganization } from '../auth/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { formErrors, parseForm, submitForm } from '../platform/http/forms.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import { creditPanel } from '../credit/pages.js';
import { firmRatingsBlock } from '../contracts/pages.js';
import { directoryQuery, debtorImportSchema, firmIdParams, profileSchema, qualificationParams, qualificationSchema, reasonSchema } from './schemas.js';
import * as firms from './service.js';

type Form = Record<string, string | undefined>;
const STAFF = ['staff', 'admin'] as const;
const blankToUndefined = (form: Form) => Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v === '' ? undefined : v]));

function page(req: Request, view: string, titleKey: string, data: Record<string, unknown> = {}, status = 200): PageResult {
  return { view, status, data: { title: req.res!.locals.t(titleKey, data.titleValues as object), csrfToken: csrfTokenFor(req), ...data } };
}

export function registerFirmPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/firms',
    access: 'public',
    query: directoryQuery,
    handler: async ({ req, query, user }) => {
      const result = await firms.listFirms(deps, user, { q: query.q, service: query.service, minGrade: query.minGrade }, { page: query.page, pageSize: query.pageSize });
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      return page(req, 'firms/directory', 'firms.directory.title', { result, query, pages, isStaff: isStaff(user) });
    },
  });

  const firmPage = async (req: Request, firmId: number, extra: Record<string, unknown> = {}, status = 200) => {
    const user = req.currentUser;
    const firm = await firms.getFirm(deps, user, firmId);
    const credit = await creditPanel(deps, firmId, req.res!.locals.t);
    const ratings = await firmRatingsBlock(deps, req, firmId);
    return page(req, 'firms/firm', 'firms.firm.title', { firm, credit, ratings, titleValues: { name: firm.name }, isStaff: isStaff(user), ...extra }, status);
  };

  routes.page({ method: 'get', path: '/firms/:id', access: 'public', params: firmIdParams, handler: ({ req, params }) => firmPage(req, params.id) });

  // staff decisions from the firm page; on a bad reason the page re-renders with the error
  const decision = (path: string, action: (user: NonNullable<Request['currentUser']>, id: number, form: Form) => Promise<unknown>) =>
    routes.page({
      method: 'post',
      path,
      access: STAFF,
      params: qualificationParams.partial({ qualificationId: true }),
      handler: async ({ req, params, body, user }) => {
        const t = req.res!.locals.t;
        const parsed = parseForm(reasonSchema, body);
        const outcome = parsed.ok ? await submitForm(() => action(user!, params.id, body as Form)) : parsed;
        if (!outcome.ok) return firmPage(req, params.id, { decisionErrors: formErrors(outcome.errors, t, 'firms.firm') }, 400);
        return { redirect: `/firms/${params.id}` };
      },
    });
  decision('/firms/:id/review', (user, id, form) => firms.decideFirm(deps, user, id, form.decision === 'approve' ? 'approve' : 'reject', form.reason!));
  decision('/firms/:id/suspend', (user, id, form) => firms.decideFirm(deps, user, id, 'suspend', form.reason!));
  decision('/firms/:id/reinstate', (user, id, form) => firms.decideFirm(deps, user, id, 'reinstate', form.reason!));
  routes.page({
    method: 'post',
    path: '/firms/:id/qualifications/:qualificationId/review',
    access: STAFF,
    params: qualificationParams,
    handler: async ({ req, params, body, user }) => {
      const t = req.res!.locals.t;
      const form = body as Form;
      const parsed = parseForm(reasonSchema, form);
      const outcome = parsed.ok
        ? await submitForm(() => firms.reviewQualification(deps, user!, params.id, params.qualificationId, form.decision === 'approve' ? 'approve' : 'reject', form.reason!))
        : parsed;
      if (!outcome.ok) return firmPage(req, params.id, { decisionErrors: formErrors(outcome.errors, t, 'firms.firm') }, 400);
      return { redirect: `/firms/${params.id}` };
    },
  });

  // the firm's own profile and qualifications
  const profilePage = async (req: Request, extra: Record<string, unknown> = {}, status = 200) => {
    const user = req.currentUser!;
    if (!user.organizationId) throw new AppError(404, 'not_found', 'No firm for this account');
    const firm = await firms.getFirm(deps, user, user.organizationId);
    const organization = await findOrganization(deps, user.organizationId);
    return page(req, 'firms/profile', 'firms.profile.title', {
      firm,
      values: { ...organization, email: organization?.email ?? '', legalRepresentativeId: organization?.legalRepresentativeId ?? '' },
      ...extra,
    }, status);
  };

  routes.page({ method: 'get', path: '/account/firm', access: ['agency'], handler: ({ req }) => profilePage(req) });

  routes.page({
    method: 'post',
    path: '/account/firm/profile',
    access: ['agency'],
    handler: async ({ req, body, user }) => {
      const t = req.res!.locals.t;
      const form = blankToUndefined(body as Form);
      const parsed = parseForm(profileSchema, form);
      const outcome = parsed.ok ? await submitForm(() => firms.updateProfile(deps, user!, user!.organizationId!, parsed.value)) : parsed;
      if (!outcome.ok) return profilePage(req, { profileErrors: formErrors(outcome.errors, t, 'firms.profile'), values: body }, 400);
      return { redirect: '/account/firm?saved=1' };
    },
  });

  routes.page({
    method: 'post',
    path: '/account/firm/qualifications',
    access: ['agency'],
    handler: async ({ req, body, user }) => {
      const t = req.res!.locals.t;
      const parsed = parseForm(qualificationSchema, body);
      const outcome = parsed.ok ? await submitForm(() => firms.addQualification(deps, user!, user!.organizationId!, parsed.value)) : parsed;
      if (!outcome.ok) return profilePage(req, { qualificationErrors: formErrors(outcome.errors, t, 'firms.profile'), qualificationValues: body }, 400);
      return { redirect: '/account/firm?added=1' };
    },
  });

  routes.page({
    method: 'get',
    path: '/staff/firms',
    access: STAFF,
    handler: async ({ req, user }) => page(req, 'firms/review-queue', 'firms.queue.title', { firms: await firms.reviewQueue(deps, user!) }),
  });

  const debtorPage = async (req: Request, extra: Record<string, unknown> = {}, status = 200) =>
    page(req, 'firms/debtors', 'firms.debtors.title', { overview: await firms.debtorOverview(deps), scripts: ['/assets/js/file-to-textarea.js'], ...extra }, status);

  routes.page({ method: 'get', path: '/staff/debtors', access: STAFF, handler: ({ req }) => debtorPage(req) });

  routes.page({
    method: 'post',
    path: '/staff/debtors',
    access: STAFF,
    handler: async ({ req, body, user }) => {
      const t = req.res!.locals.t;
      const parsed = parseForm(debtorImportSchema, body);
      if (!parsed.ok) return debtorPage(req, { errors: formErrors(parsed.errors, t, 'firms.debtors'), values: body }, 400);
      try {
        return debtorPage(req, { report: await firms.importDebtorList(deps, user!, parsed.value) });
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error;
        return debtorPage(req, { failedReport: error.extensions?.report, values: body }, 422);
      }
    },
  });
}
