import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isStaff } from '../platform/http/access.js';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { findUserById, toCurrentUser, userForToken } from './service.js';
import { DatabaseSessionStore } from './session-store.js';

export const SESSION_COOKIE = 'zjcs.sid';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createSessionStore(deps: PlatformDeps): DatabaseSessionStore {
  return new DatabaseSessionStore(deps.database.db, deps.clock, deps.config.session.idleMinutes * 60_000);
}

export function sessionMiddleware(deps: PlatformDeps, store: DatabaseSessionStore): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    secret: deps.config.sessionSecret!,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: deps.config.trustProxy,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.trustProxy ? 'auto' : false,
      maxAge: deps.config.session.idleMinutes * 60_000,
    },
  });
}

/** The session's CSRF token, created on first use (forms on anonymous pages need one too). */
export function csrfTokenFor(req: Request): string {
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

/** Sets req.currentUser from a Bearer token or the session; an invalid token is a 401. */
export function currentUserMiddleware(deps: PlatformDeps): RequestHandler {
  const absoluteMs = deps.config.session.absoluteHours * 3_600_000;
  return (req, res, next) => {
    (async () => {
      const authorization = req.get('authorization');
      if (authorization?.startsWith('Bearer ')) {
        const user = await userForToken(deps, authorization.slice(7).trim());
        if (!user) throw new AppError(401, 'invalid_token', 'The API token is unknown or revoked');
        req.currentUser = await toCurrentUser(deps, user, 'token');
      } else if (req.session?.userId) {
        const expired = (req.session.authenticatedAt ?? 0) + absoluteMs <= deps.clock.now().getTime();
        const user = expired ? undefined : await findUserById(deps, req.session.userId);
        if (!user || user.disabledAt) {
          await new Promise<void>((resolve) => req.session.regenerate(() => resolve()));
        } else {
          req.currentUser = await toCurrentUser(deps, user, 'session');
        }
      }
      res.locals.currentUser = req.currentUser && { ...req.currentUser, isStaff: isStaff(req.currentUser) };
      if (req.currentUser?.via === 'session') res.locals.csrfToken = req.session.csrfToken;
    })().then(() => next(), next);
  };
}

function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Cookie-authenticated unsafe requests carry the session's token: the X-CSRF-Token header (API)
 * or the _csrf form field (pages). Bearer requests are not sent by browsers on their own.
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  if (!UNSAFE.has(req.method) || req.currentUser?.via === 'token') return next();
  const expected = req.session?.csrfToken;
  if (!expected) {
    return req.currentUser ? next(new AppError(403, 'csrf_failed', 'Missing or wrong CSRF token')) : next();
  }
  const given = req.get('x-csrf-token') ?? (req.body as { _csrf?: unknown } | undefined)?._csrf;
  if (!sameToken(expected, given)) return next(new AppError(403, 'csrf_failed', 'Missing or wrong CSRF token'));
  next();
};


/** Starts a fresh session for a user who just logged in (prevents session fixation). */
export async function startSession(req: Request, userId: number, now: Date): Promise<string> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
  req.session.userId = userId;
  req.session.authenticatedAt = now.getTime();
  const token = csrfTokenFor(req);
  await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
  return token;
}

export async function endSession(req: Request): Promise<void> {
  await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
}
