import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isStaff } from '../platform/http/access.js';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { findUserById, toCurrentUser, userForToken } from './service.js';
import { DatabaseSessionStore } from './session-store.js';

export const SESSION_COOKIE = 'zjcs.sid';
/** Holds a random nonce for visitors who are not logged in; their CSRF token is its HMAC. */
export const ANONYMOUS_CSRF_COOKIE = 'zjcs.csrf';
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

/**
 * The CSRF token for a form. Logged in: the session's. Not logged in: the HMAC of a nonce kept in
 * a cookie, so an anonymous page view never writes a session row (a session starts at login).
 */
export function csrfTokenFor(req: Request): string {
  if (req.session?.userId) {
    req.session.csrfToken ??= randomBytes(32).toString('base64url');
    return req.session.csrfToken;
  }
  let nonce = anonymousNonce(req);
  if (!nonce) {
    nonce = randomBytes(24).toString('base64url');
    req.cookies[ANONYMOUS_CSRF_COOKIE] = nonce;
    req.res!.cookie(ANONYMOUS_CSRF_COOKIE, nonce, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
  }
  return anonymousToken(req, nonce);
}

const anonymousNonce = (req: Request): string | undefined => {
  const value: unknown = req.cookies?.[ANONYMOUS_CSRF_COOKIE];
  return typeof value === 'string' && /^[\w-]{32}$/.test(value) ? value : undefined;
};

const anonymousToken = (req: Request, nonce: string) => createHmac('sha256', req.csrfSecret!).update(`anonymous-csrf:${nonce}`).digest('base64url');

/** Gives csrfTokenFor the secret anonymous tokens are signed with. */
export function csrfSecretMiddleware(secret: string): RequestHandler {
  return (req, _res, next) => {
    req.csrfSecret = secret;
    next();
  };
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
  const nonce = anonymousNonce(req);
  const expected = req.currentUser ? req.session?.csrfToken : nonce && anonymousToken(req, nonce);
  if (!expected) {
    // a visitor who was never given a token (an API client logging in) has nothing to forge
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

declare module 'express-serve-static-core' {
  interface Request {
    csrfSecret?: string;
  }
}
