import type { PlatformDeps } from '../platform/deps.js';
import { isoShanghai } from '../platform/time.js';
import { actorOf } from '../platform/http/access.js';
import type { RouteTable } from '../platform/http/routes.js';
import { endSession, startSession } from './middleware.js';
import {
  accountListResponse,
  accountResponse,
  changePasswordSchema,
  createdTokenResponse,
  createTokenSchema,
  createUserSchema,
  idParams,
  loginResponseSchema,
  loginSchema,
  meResponse,
  registerSchema,
  tokenListResponse,
  updateUserSchema,
} from './schemas.js';
import * as auth from './service.js';
import type { UserRow } from './repository.js';

export const presentUser = (user: UserRow) => ({
  id: user.id,
  username: user.username,
  role: user.role,
  displayName: user.displayName,
  organizationId: user.organizationId,
  disabled: user.disabledAt !== null,
  createdAt: isoShanghai(user.createdAt),
});

const presentToken = (token: Awaited<ReturnType<typeof auth.listApiTokens>>[number]) => ({
  ...token,
  createdAt: isoShanghai(token.createdAt),
  lastUsedAt: token.lastUsedAt ? isoShanghai(token.lastUsedAt) : null,
  revokedAt: token.revokedAt ? isoShanghai(token.revokedAt) : null,
});

export function registerAuthApiRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.api({
    method: 'post',
    path: '/auth/register',
    access: 'public',
    summary: 'Register a project owner or an intermediary firm (the firm starts pending review)',
    tags: ['auth'],
    body: registerSchema,
    response: { status: 201, description: 'Registered', schema: accountResponse },
    errors: [409],
    handler: async ({ body }) => ({ user: presentUser(await auth.registerAccount(deps, body)) }),
  });

  routes.api({
    method: 'post',
    path: '/auth/login',
    access: 'public',
    summary: 'Log in; answers the CSRF token to send as X-CSRF-Token on unsafe requests',
    tags: ['auth'],
    body: loginSchema,
    response: { status: 200, description: 'Logged in; a session cookie is set', schema: loginResponseSchema },
    errors: [429],
    handler: async ({ body, req }) => {
      const user = await auth.authenticate(deps, { ...body, address: req.ip ?? 'unknown' });
      const csrfToken = await startSession(req, user.id, deps.clock.now());
      await auth.recordLogin(deps, user, 'api', req.ip ?? 'unknown');
      return { user: { id: user.id, username: user.username, role: user.role }, csrfToken };
    },
  });

  routes.api({
    method: 'post',
    path: '/auth/logout',
    access: 'authenticated',
    summary: 'Log out (ends the session)',
    tags: ['auth'],
    response: { status: 204, description: 'Logged out' },
    handler: async ({ req, user }) => {
      await auth.recordLogout(deps, user!.id);
      await endSession(req);
      return undefined;
    },
  });

  routes.api({
    method: 'get',
    path: '/auth/me',
    access: 'authenticated',
    summary: 'Who is logged in, with their organisation',
    tags: ['auth'],
    response: { status: 200, description: 'The current user', schema: meResponse },
    handler: async ({ user, req }) => {
      const organization = user!.organizationId ? await auth.findOrganization(deps, user!.organizationId) : undefined;
      return {
        user: { id: user!.id, username: user!.username, role: user!.role, displayName: user!.displayName },
        organization: organization
          ? { id: organization.id, kind: organization.kind, name: organization.name, uscc: organization.uscc, status: organization.status }
          : null,
        ...(user!.via === 'session' ? { csrfToken: req.session.csrfToken } : {}),
      };
    },
  });

  routes.api({
    method: 'post',
    path: '/auth/password',
    access: 'authenticated',
    summary: 'Change your password (other sessions are ended)',
    tags: ['auth'],
    body: changePasswordSchema,
    response: { status: 204, description: 'Changed' },
    handler: async ({ body, user, req }) => {
      await auth.changePassword(deps, user!, body, req.sessionID);
      return undefined;
    },
  });

  routes.api({
    method: 'get',
    path: '/auth/tokens',
    access: 'authenticated',
    summary: 'Your personal API tokens (never the secret itself)',
    tags: ['auth'],
    response: { status: 200, description: 'Tokens', schema: tokenListResponse },
    handler: async ({ user }) => ({ items: (await auth.listApiTokens(deps, user!)).map(presentToken) }),
  });

  routes.api({
    method: 'post',
    path: '/auth/tokens',
    access: 'authenticated',
    summary: 'Create a personal API token; the token is shown once, only its hash is kept',
    tags: ['auth'],
    body: createTokenSchema,
    response: { status: 201, description: 'Created', schema: createdTokenResponse },
    handler: async ({ body, user }) => {
      const created = await auth.createApiToken(deps, user!, body.name);
      return { ...presentToken(created), token: created.token };
    },
  });

  routes.api({
    method: 'delete',
    path: '/auth/tokens/:id',
    access: 'authenticated',
    summary: 'Revoke one of your tokens',
    tags: ['auth'],
    params: idParams,
    response: { status: 204, description: 'Revoked' },
    handler: async ({ params, user }) => {
      await auth.revokeApiToken(deps, user!, params.id);
      return undefined;
    },
  });

  routes.api({
    method: 'get',
    path: '/users',
    access: ['admin'],
    summary: 'All user accounts',
    tags: ['users'],
    response: { status: 200, description: 'Users', schema: accountListResponse },
    handler: async () => ({ items: (await auth.listUsers(deps)).map(presentUser) }),
  });

  routes.api({
    method: 'post',
    path: '/users',
    access: ['admin'],
    summary: 'Create a staff or admin account',
    tags: ['users'],
    body: createUserSchema,
    response: { status: 201, description: 'Created', schema: accountResponse },
    errors: [409],
    handler: async ({ body, user }) => ({ user: presentUser(await auth.createStaffUser(deps, actorOf(user), body)) }),
  });

  routes.api({
    method: 'patch',
    path: '/users/:id',
    access: ['admin'],
    summary: "Change a staff account's role, or disable / re-enable it",
    tags: ['users'],
    params: idParams,
    body: updateUserSchema,
    response: { status: 200, description: 'Updated', schema: accountResponse },
    errors: [409],
    handler: async ({ params, body, user }) => ({ user: presentUser(await auth.updateStaffUser(deps, user!, params.id, body)) }),
  });
}
