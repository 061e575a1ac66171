import type { RequestHandler } from 'express';
import type { PlatformDeps } from '../platform/deps.js';
import { API_PREFIX } from '../platform/http/routes.js';
import { unreadCount } from './service.js';

/** The header's unread badge: one count query per page view of a logged-in user. */
export function unreadNotificationsMiddleware(deps: PlatformDeps): RequestHandler {
  return (req, res, next) => {
    if (!req.currentUser || req.method !== 'GET' || req.path.startsWith(API_PREFIX) || req.path.startsWith('/assets/')) return next();
    unreadCount(deps, req.currentUser).then(
      (count) => {
        res.locals.unreadNotifications = count;
        next();
      },
      next,
    );
  };
}
