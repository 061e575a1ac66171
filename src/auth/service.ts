import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import { uniqueViolation } from '../platform/db/types.js';
import { AppError, conflict, notFound, tooManyRequests } from '../platform/errors.js';
import type { CurrentUser, Role } from '../platform/http/access.js';
import { hashPassword, verifyPassword } from './passwords.js';
import * as repository from './repository.js';
import type { RegisterInput } from './schemas.js';

export type AuthDeps = Pick<PlatformDeps, 'database' | 'clock' | 'config'>;

const actor = (userId: number) => `user:${userId}`;

function duplicateError(constraint: string): AppError {
  const field = constraint.includes('uscc') ? 'organization.uscc' : 'username';
  const what = field === 'username' ? 'This username is already taken' : 'An organisation with this unified social credit code is already registered';
  return new AppError(409, field === 'username' ? 'username_taken' : 'uscc_taken', what, [{ path: field, message: what }]);
}

/** Owner registration: an active owner organisation. Agency: a firm pending staff review. */
export async function registerAccount(deps: AuthDeps, input: RegisterInput): Promise<repository.UserRow> {
  const passwordHash = await hashPassword(input.password, deps.config.passwordHashProfile);
  const now = deps.clock.now();
  try {
    return await deps.database.transaction(async (tx) => {
      const organization = await repository.insertOrganization(tx, {
        kind: input.role,
        name: input.organization.name,
        uscc: input.organization.uscc,
        status: input.role === 'agency' ? 'pending' : 'active',
        contactName: input.organization.contactName,
        contactPhone: input.organization.contactPhone,
        email: input.organization.email ?? null,
        createdAt: now,
        updatedAt: now,
      });
      const user = await repository.insertUser(tx, {
        username: input.username,
        passwordHash,
        role: input.role,
        organizationId: organization.id,
        displayName: input.organization.name,
        createdAt: now,
        passwordChangedAt: now,
      });
      await appendAudit(tx, deps.clock, {
        actor: actor(user.id),
        action: 'auth.registered',
        entityType: 'organization',
        entityId: organization.id,
        data: { userId: user.id, username: user.username, role: user.role, organization: { name: organization.name, uscc: organization.uscc, status: organization.status } },
      });
      return user;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint) throw duplicateError(constraint);
    throw error;
  }
}

/** Staff and admin accounts, created by an admin (or the CLI, or ADMIN_USERNAME at start). */
export async function createStaffUser(
  deps: AuthDeps,
  by: string,
  input: { username: string; password: string; role: 'staff' | 'admin'; displayName?: string },
): Promise<repository.UserRow> {
  const passwordHash = await hashPassword(input.password, deps.config.passwordHashProfile);
  const now = deps.clock.now();
  try {
    return await deps.database.transaction(async (tx) => {
      const user = await repository.insertUser(tx, {
        username: input.username,
        passwordHash,
        role: input.role,
        organizationId: null,
        displayName: input.displayName ?? input.username,
        createdAt: now,
        passwordChangedAt: now,
      });
      await appendAudit(tx, deps.clock, {
        actor: by,
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        data: { username: user.username, role: user.role },
      });
      return user;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint) throw duplicateError(constraint);
    throw error;
  }
}

/** Creates the configured administrator if no user of that name exists. */
export async function ensureAdmin(deps: AuthDeps): Promise<boolean> {
  const admin = deps.config.admin;
  if (!admin) return false;
  if (await repository.findUserByUsername(deps.database.db, admin.username)) return false;
  try {
    await createStaffUser(deps, 'system:bootstrap', { ...admin, role: 'admin', displayName: admin.username });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return false; // another replica won
    throw error;
  }
}

export async function updateStaffUser(
  deps: AuthDeps,
  by: CurrentUser,
  userId: number,
  change: { role?: 'staff' | 'admin'; disabled?: boolean; password?: string },
): Promise<repository.UserRow> {
  const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password, deps.config.passwordHashProfile);
  return deps.database.transaction(async (tx) => {
    const user = await repository.findUserById(tx, userId);
    if (!user) throw notFound('User');
    if (user.role !== 'staff' && user.role !== 'admin') {
      throw conflict('not_staff_user', 'Only staff and admin accounts can be changed here');
    }
    if (user.id === by.id) throw conflict('cannot_change_self', 'Administrators cannot change their own role or disable themselves');
    const values = {
      ...(change.role ? { role: change.role } : {}),
      ...(change.disabled !== undefined ? { disabledAt: change.disabled ? deps.clock.now() : null } : {}),
      ...(passwordHash ? { passwordHash, passwordChangedAt: deps.clock.now() } : {}),
    };
    await repository.updateUser(tx, userId, values);
    const endsAccess = change.disabled === true || passwordHash !== undefined;
    if (endsAccess) await repository.deleteOtherSessions(tx, userId);
    const tokensRevoked = endsAccess ? await repository.revokeAllTokens(tx, userId, deps.clock.now()) : 0;
    const { password: _secret, ...shown } = change;
    await appendAudit(tx, deps.clock, {
      actor: actor(by.id),
      action: change.role && change.role !== user.role ? 'user.role_changed' : passwordHash ? 'user.password_reset' : 'user.updated',
      entityType: 'user',
      entityId: userId,
      data: { from: { role: user.role, disabled: user.disabledAt !== null }, to: { ...shown, ...(passwordHash ? { passwordReset: true } : {}) }, tokensRevoked },
    });
    return { ...user, ...values };
  });
}

// ---- login and its throttle ----

// Verifying against a real hash for unknown users keeps their response time the same.
let dummyHash: Promise<string> | undefined;

export interface LoginAttempt {
  username: string;
  password: string;
  address: string;
}

/**
 * Three counters, so that nobody's failures lock out a correct password of someone else:
 * - the (address, account) pair locks after LOGIN_MAX_FAILURES: one guesser, one account;
 * - the account locks after LOGIN_MAX_FAILURES_PER_ACCOUNT from anywhere: guessing spread over
 *   many addresses;
 * - the address, after LOGIN_MAX_FAILURES_PER_ADDRESS, only has its *failed* attempts refused
 *   with 429: behind a proxy every user may share one address, and a correct password of an
 *   account that is not itself locked still logs in.
 */
export async function authenticate(deps: AuthDeps, attempt: LoginAttempt): Promise<repository.UserRow> {
  const now = deps.clock.now();
  const account = attempt.username.toLowerCase();
  const keys = { pair: `pair:${attempt.address}|${account}`, account: `account:${account}`, address: `address:${attempt.address}` };
  const throttles = await repository.findThrottles(deps.database.db, Object.values(keys));
  const lockedUntil = (...of: string[]) => Math.max(0, ...throttles.filter((row) => of.includes(row.key)).map((row) => row.lockedUntil?.getTime() ?? 0));
  const accountLockedUntil = lockedUntil(keys.pair, keys.account);
  if (accountLockedUntil > now.getTime()) throw tooManyRequests(Math.ceil((accountLockedUntil - now.getTime()) / 1000));

  const user = await repository.findUserByUsername(deps.database.db, attempt.username);
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), deps.config.passwordHashProfile);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), attempt.password);
  if (user && valid && !user.disabledAt) {
    await repository.clearThrottle(deps.database.db, keys.pair);
    return user;
  }
  await recordFailure(deps, keys, user?.id);
  const addressLockedUntil = lockedUntil(keys.address);
  if (addressLockedUntil > now.getTime()) throw tooManyRequests(Math.ceil((addressLockedUntil - now.getTime()) / 1000));
  throw new AppError(401, 'invalid_credentials', 'Wrong username or password');
}

async function recordFailure(deps: AuthDeps, keys: { pair: string; account: string; address: string }, userId: number | undefined): Promise<void> {
  const { maxFailures, maxFailuresPerAccount, maxFailuresPerAddress, lockMinutes } = deps.config.loginThrottle;
  const now = deps.clock.now();
  const windowMs = lockMinutes * 60_000;
  const limits = [[keys.pair, maxFailures], [keys.account, maxFailuresPerAccount], [keys.address, maxFailuresPerAddress]] as const;
  await deps.database.transaction(async (tx) => {
    for (const [key, limit] of limits) {
      const row = await repository.lockThrottle(tx, key, now);
      const fresh = now.getTime() - row.windowStartedAt.getTime() > windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const locks = failures >= limit;
      await repository.saveThrottle(tx, {
        key,
        failures: locks ? 0 : failures,
        windowStartedAt: fresh || locks ? now : row.windowStartedAt,
        lockedUntil: locks ? new Date(now.getTime() + windowMs) : row.lockedUntil,
      });
      if (locks) {
        const isAddress = key === keys.address;
        await appendAudit(tx, deps.clock, {
          actor: 'system:auth',
          action: 'auth.lockout',
          entityType: isAddress || !userId ? 'address' : 'user',
          entityId: isAddress || !userId ? key : userId,
          data: { key, failures, lockedMinutes: lockMinutes },
        });
      }
    }
  });
}

export async function recordLogin(deps: AuthDeps, user: repository.UserRow, via: 'api' | 'page', address: string) {
  await deps.database.transaction((tx) =>
    appendAudit(tx, deps.clock, { actor: actor(user.id), action: 'auth.login', entityType: 'user', entityId: user.id, data: { via, address } }),
  );
}

export async function recordLogout(deps: AuthDeps, userId: number) {
  await deps.database.transaction((tx) =>
    appendAudit(tx, deps.clock, { actor: actor(userId), action: 'auth.logout', entityType: 'user', entityId: userId }),
  );
}

export async function changePassword(
  deps: AuthDeps,
  user: CurrentUser,
  input: { currentPassword: string; newPassword: string },
  keepSessionId?: string,
): Promise<void> {
  const row = await repository.findUserById(deps.database.db, user.id);
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new AppError(400, 'wrong_current_password', 'The current password is wrong', [
      { path: 'currentPassword', message: 'is wrong' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword, deps.config.passwordHashProfile);
  await deps.database.transaction(async (tx) => {
    await repository.updateUser(tx, user.id, { passwordHash, passwordChangedAt: deps.clock.now() });
    await repository.deleteOtherSessions(tx, user.id, keepSessionId);
    const tokensRevoked = await repository.revokeAllTokens(tx, user.id, deps.clock.now());
    await appendAudit(tx, deps.clock, { actor: actor(user.id), action: 'auth.password_changed', entityType: 'user', entityId: user.id, data: { tokensRevoked } });
  });
}

// ---- personal API tokens ----

const TOKEN_PREFIX = 'zjcs_';
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createApiToken(deps: AuthDeps, user: CurrentUser, name: string) {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await deps.database.transaction(async (tx) => {
    const created = await repository.insertToken(tx, {
      userId: user.id,
      name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      createdAt: deps.clock.now(),
    });
    await appendAudit(tx, deps.clock, { actor: actor(user.id), action: 'auth.token_created', entityType: 'user', entityId: user.id, data: { tokenId: created.id, name } });
    return created;
  });
  return { ...presentToken(row), token };
}

export async function revokeApiToken(deps: AuthDeps, user: CurrentUser, tokenId: number): Promise<void> {
  await deps.database.transaction(async (tx) => {
    const revoked = await repository.revokeToken(tx, user.id, tokenId, deps.clock.now());
    if (!revoked) throw notFound('Token');
    await appendAudit(tx, deps.clock, { actor: actor(user.id), action: 'auth.token_revoked', entityType: 'user', entityId: user.id, data: { tokenId } });
  });
}

export async function listApiTokens(deps: AuthDeps, user: CurrentUser) {
  return (await repository.listTokens(deps.database.db, user.id)).map(presentToken);
}

function presentToken(row: repository.ApiTokenRow) {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

/** The user behind a Bearer token, or undefined for an unknown or revoked token. */
export async function userForToken(deps: AuthDeps, token: string): Promise<repository.UserRow | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
  const row = await repository.findActiveTokenByHash(deps.database.db, hashToken(token));
  if (!row) return undefined;
  const user = await repository.findUserById(deps.database.db, row.userId);
  if (!user || user.disabledAt) return undefined;
  // "last used" to the minute: a write on every request would only repeat the same answer
  const now = deps.clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOKEN_USE_RESOLUTION_MS) await repository.markTokenUsed(deps.database.db, row.id, now);
  return user;
}

/** How finely a token's last use is recorded. */
export const TOKEN_USE_RESOLUTION_MS = 60_000;

export async function toCurrentUser(deps: AuthDeps, user: repository.UserRow, via: CurrentUser['via']): Promise<CurrentUser> {
  return {
    id: user.id,
    username: user.username,
    role: user.role as Role,
    organizationId: user.organizationId,
    displayName: user.displayName,
    via,
  };
}

export const findUserById = (deps: AuthDeps, id: number) => repository.findUserById(deps.database.db, id);
export const findOrganization = (deps: AuthDeps, id: number) => repository.findOrganization(deps.database.db, id);
export const listUsers = (deps: AuthDeps) => repository.listUsers(deps.database.db);
