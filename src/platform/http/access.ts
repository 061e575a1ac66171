import type { Request } from 'express';
import { forbidden, unauthorized } from '../errors.js';

export const ROLES = ['owner', 'agency', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who a route lets in. Ownership (own project, own firm) is checked by the service. */
export type Access = 'public' | 'authenticated' | readonly Role[];

export interface CurrentUser {
  id: number;
  username: string;
  role: Role;
  organizationId: number | null;
  displayName: string;
  /** How the request authenticated: cookie sessions need CSRF tokens, Bearer tokens do not. */
  via: 'session' | 'token';
}

declare module 'express-serve-static-core' {
  interface Request {
    currentUser?: CurrentUser;
  }
}

export function assertAccess(access: Access, req: Request): CurrentUser | undefined {
  if (access === 'public') return req.currentUser;
  const user = req.currentUser;
  if (!user) throw unauthorized();
  if (access === 'authenticated' || access.includes(user.role)) return user;
  throw forbidden();
}

/** Coordination officers and administrators: who may see and decide what the public may not. */
export const isStaff = (user?: Pick<CurrentUser, 'role'>): boolean => user?.role === 'staff' || user?.role === 'admin';

/** The audit log's actor for a request: "user:42" or "anonymous". */
export const actorOf = (user: CurrentUser | undefined): string =>
  user ? `user:${user.id}` : 'anonymous';
