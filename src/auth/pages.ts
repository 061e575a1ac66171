import type { Request } from 'express';
import type { PlatformDeps } from '../platform/deps.js';
import { fieldErrorsFromZod } from '../platform/errors.js';
import { actorOf } from '../platform/http/access.js';
import { formErrors, parseForm, submitForm } from '../platform/http/forms.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import { csrfTokenFor, endSession, startSession } from './middleware.js';
import { changePasswordSchema, createTokenSchema, createUserSchema, idParams, loginSchema, registerSchema } from './schemas.js';
import * as auth from './service.js';

type Form = Record<string, string | undefined>;

/** A safe local path to return to after login (never another site). */
function returnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(value) ? value : '/';
}

function view(req: Request, name: string, titleKey: string, data: Record<string, unknown> = {}, status = 200): PageResult {
  const t = req.res!.locals.t;
  return { view: name, status, data: { title: t(titleKey), csrfToken: csrfTokenFor(req), ...data } };
}

export function registerAuthPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/login',
    access: 'public',
    handler: async ({ req }) => view(req, 'auth/login', 'pages.login.title', { next: returnPath(req.query.next) }),
  });

  routes.page({
    method: 'post',
    path: '/login',
    access: 'public',
    handler: async ({ req, body }) => {
      const form = body as Form;
      const t = req.res!.locals.t;
      const parsed = parseForm(loginSchema, form);
      const outcome = parsed.ok
        ? await submitForm(() => auth.authenticate(deps, { ...parsed.value, address: req.ip ?? 'unknown' }))
        : parsed;
      if (!outcome.ok) {
        const invalid = t('pages.login.errors.invalid');
        const errors = parsed.ok
          ? { summary: [{ href: '#field-username', text: invalid }], byField: { username: invalid } }
          : formErrors(outcome.errors, t, 'pages.login');
        return view(req, 'auth/login', 'pages.login.title', { errors, values: { username: form.username }, next: returnPath(form.next) }, parsed.ok ? 401 : 400);
      }
      await startSession(req, outcome.value.id, deps.clock.now());
      await auth.recordLogin(deps, outcome.value, 'page', req.ip ?? 'unknown');
      return { redirect: returnPath(form.next) };
    },
  });

  routes.page({
    method: 'post',
    path: '/logout',
    access: 'authenticated',
    handler: async ({ req, user }) => {
      await auth.recordLogout(deps, user!.id);
      await endSession(req);
      return { redirect: '/' };
    },
  });

  routes.page({
    method: 'get',
    path: '/register',
    access: 'public',
    handler: async ({ req }) => view(req, 'auth/register', 'pages.register.title', { values: { role: req.query.role === 'agency' ? 'agency' : 'owner' } }),
  });

  routes.page({
    method: 'post',
    path: '/register',
    access: 'public',
    handler: async ({ req, body }) => {
      const form = body as Form;
      const t = req.res!.locals.t;
      const input = {
        username: form.username,
        password: form.password,
        role: form.role,
        organization: {
          name: form.organizationName,
          uscc: form.uscc,
          contactName: form.contactName,
          contactPhone: form.contactPhone,
          ...(form.email ? { email: form.email } : {}),
        },
      };
      const parsed = parseForm(registerSchema, input);
      const outcome = parsed.ok ? await submitForm(() => auth.registerAccount(deps, parsed.value)) : parsed;
      if (!outcome.ok) {
        const values = { ...form, password: undefined };
        return view(req, 'auth/register', 'pages.register.title', { errors: formErrors(outcome.errors, t, 'pages.register'), values }, 400);
      }
      await startSession(req, outcome.value.id, deps.clock.now());
      await auth.recordLogin(deps, outcome.value, 'page', req.ip ?? 'unknown');
      return { redirect: '/account?registered=1' };
    },
  });

  const accountPage = async (req: Request, extra: Record<string, unknown> = {}, status = 200) => {
    const user = req.currentUser!;
    const organization = user.organizationId ? await auth.findOrganization(deps, user.organizationId) : undefined;
    const tokens = await auth.listApiTokens(deps, user);
    return view(req, 'auth/account', 'pages.account.title', {
      organization,
      tokens,
      registered: req.query.registered === '1',
      passwordChanged: req.query.passwordChanged === '1',
      ...extra,
    }, status);
  };

  routes.page({ method: 'get', path: '/account', access: 'authenticated', handler: async ({ req }) => accountPage(req) });

  routes.page({
    method: 'post',
    path: '/account/password',
    access: 'authenticated',
    handler: async ({ req, body, user }) => {
      const t = req.res!.locals.t;
      const parsed = parseForm(changePasswordSchema, body);
      const outcome = parsed.ok ? await submitForm(() => auth.changePassword(deps, user!, parsed.value, req.sessionID)) : parsed;
      if (!outcome.ok) return accountPage(req, { passwordErrors: formErrors(outcome.errors, t, 'pages.account') }, 400);
      return { redirect: '/account?passwordChanged=1' };
    },
  });

  routes.page({
    method: 'post',
    path: '/account/tokens',
    access: 'authenticated',
    handler: async ({ req, body, user }) => {
      const t = req.res!.locals.t;
      const parsed = createTokenSchema.safeParse(body);
      if (!parsed.success) {
        return accountPage(req, { tokenErrors: formErrors(fieldErrorsFromZod(parsed.error), t, 'pages.account') }, 400);
      }
      const created = await auth.createApiToken(deps, user!, parsed.data.name);
      return accountPage(req, { newToken: created });
    },
  });

  routes.page({
    method: 'post',
    path: '/account/tokens/:id/revoke',
    access: 'authenticated',
    params: idParams,
    handler: async ({ params, user }) => {
      await auth.revokeApiToken(deps, user!, params.id);
      return { redirect: '/account' };
    },
  });

  const usersPage = async (req: Request, extra: Record<string, unknown> = {}, status = 200) =>
    view(req, 'auth/users', 'pages.users.title', { users: await auth.listUsers(deps), ...extra }, status);

  routes.page({ method: 'get', path: '/admin/users', access: ['admin'], handler: async ({ req }) => usersPage(req) });

  routes.page({
    method: 'post',
    path: '/admin/users',
    access: ['admin'],
    handler: async ({ req, body, user }) => {
      const t = req.res!.locals.t;
      const form = body as Form;
      const parsed = parseForm(createUserSchema, { ...form, displayName: form.displayName || undefined });
      const outcome = parsed.ok ? await submitForm(() => auth.createStaffUser(deps, actorOf(user), parsed.value)) : parsed;
      if (!outcome.ok) {
        return usersPage(req, { errors: formErrors(outcome.errors, t, 'pages.users'), values: { ...form, password: undefined } }, 400);
      }
      return usersPage(req, { created: outcome.value.username });
    },
  });
}
