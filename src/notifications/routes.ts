import { pageQuery } from '../audit/schemas.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import { monitorDeadlines } from './deadlines.js';
import {
  deadlinesResponse,
  mineQuery,
  mineResponse,
  mobileBody,
  mobileResponse,
  monitoringQuery,
  notificationParams,
  notificationResponse,
  outboxResponse,
} from './schemas.js';
import { getMobile, listMine, listOutbox, markRead, setMobile } from './service.js';

const STAFF = ['staff', 'admin'] as const;

export function registerNotificationRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const tags = ['notifications'];
  routes.api({
    method: 'get', path: '/notifications/mine', access: 'authenticated', tags, query: mineQuery,
    summary: 'My in-app notifications, newest first, with the unread count', response: { status: 200, description: 'A page of notifications', schema: mineResponse },
    handler: ({ user, query }) => listMine(deps, user!, query, query.unread === 'true'),
  });
  routes.api({
    method: 'post', path: '/notifications/:id/read', access: 'authenticated', tags, params: notificationParams,
    summary: 'Mark one of my notifications read', response: { status: 200, description: 'The notification', schema: notificationResponse },
    handler: ({ user, params }) => markRead(deps, user!, params.id),
  });
  routes.api({
    method: 'get', path: '/notifications/mobile', access: 'authenticated', tags,
    summary: 'The mobile number my reminders go to (手机号码关联)', response: { status: 200, description: '{mobile}', schema: mobileResponse },
    handler: async ({ user }) => ({ mobile: await getMobile(deps, user!) }),
  });
  routes.api({
    method: 'put', path: '/notifications/mobile', access: 'authenticated', tags, body: mobileBody,
    summary: 'Set (or, with null, remove) the mobile number reminders go to', response: { status: 200, description: '{mobile}', schema: mobileResponse },
    handler: ({ user, body }) => setMobile(deps, user!, body.mobile),
  });
  routes.api({
    method: 'get', path: '/notifications/outbox', access: STAFF, tags, query: pageQuery,
    summary: 'What the outbox sender delivered, and every delivery pending a retry, failed or skipped', response: { status: 200, description: 'The outbox', schema: outboxResponse },
    handler: ({ query }) => listOutbox(deps, query),
  });
  routes.api({
    method: 'get', path: '/monitoring/deadlines', access: STAFF, tags: ['monitoring'], query: monitoringQuery,
    summary: '电子监察: open deadlines within 2 working days (near) or already past (overdue), with who must act',
    response: { status: 200, description: 'Deadlines', schema: deadlinesResponse },
    handler: ({ query }) => monitorDeadlines(deps, query.state),
  });
}
