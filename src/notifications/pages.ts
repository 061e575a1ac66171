import type { Request } from 'express';
import { pageQuery } from '../audit/schemas.js';
import { csrfTokenFor } from '../auth/middleware.js';
import type { PlatformDeps } from '../platform/deps.js';
import { formErrors, parseForm } from '../platform/http/forms.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import type { Translate } from '../platform/i18n/index.js';
import { monitorDeadlines } from './deadlines.js';
import { mobileBody, monitoringQuery, notificationParams } from './schemas.js';
import { getMobile, listMine, listOutbox, markRead, setMobile } from './service.js';

const STAFF = ['staff', 'admin'] as const;
const tOf = (req: Request): Translate => req.res!.locals.t;

function view(req: Request, name: string, title: string, data: Record<string, unknown> = {}, status = 200): PageResult {
  return { view: name, status, data: { title, csrfToken: csrfTokenFor(req), ...data } };
}

export function registerNotificationPages(routes: RouteTable, deps: PlatformDeps): void {
  const minePage = async (req: Request, page: { page: number; pageSize: number }, extra: Record<string, unknown> = {}, status = 200) => {
    const user = req.currentUser!;
    const result = await listMine(deps, user, page);
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    return view(req, 'notifications/mine', tOf(req)('notifications.mine.title'), {
      result, pages, mobile: await getMobile(deps, user), ...extra,
    }, status);
  };

  routes.page({
    method: 'get', path: '/notifications', access: 'authenticated', query: pageQuery.loose(),
    handler: ({ req, query }) => minePage(req, query, { saved: req.query.saved === '1' }),
  });
  routes.page({
    method: 'post', path: '/notifications/:id/read', access: 'authenticated', params: notificationParams,
    handler: async ({ user, params }) => {
      await markRead(deps, user!, params.id);
      return { redirect: '/notifications' };
    },
  });
  routes.page({
    method: 'post', path: '/notifications/mobile', access: 'authenticated',
    handler: async ({ req, user, body }) => {
      const raw = String((body as Record<string, unknown>).mobile ?? '').trim();
      const parsed = parseForm(mobileBody, { mobile: raw === '' ? null : raw });
      if (!parsed.ok) {
        return minePage(req, { page: 1, pageSize: 20 }, { mobileErrors: formErrors(parsed.errors, tOf(req), 'notifications.mine'), mobileValue: raw }, 400);
      }
      await setMobile(deps, user!, parsed.value.mobile);
      return { redirect: '/notifications?saved=1' };
    },
  });
  routes.page({
    method: 'get', path: '/staff/outbox', access: STAFF, query: pageQuery,
    handler: async ({ req, query }) => {
      const result = await listOutbox(deps, query);
      return view(req, 'notifications/outbox', tOf(req)('notifications.outbox.title'), { result, pages: Math.max(1, Math.ceil(result.total / result.pageSize)) });
    },
  });
  routes.page({
    method: 'get', path: '/staff/deadlines', access: STAFF, query: monitoringQuery,
    handler: async ({ req, query }) => {
      const t = tOf(req);
      const result = await monitorDeadlines(deps, query.state);
      return view(req, 'notifications/deadlines', t('notifications.deadlines.title'), {
        result,
        items: result.items.map((item) => ({ ...item, kindLabel: t(`notifications.kinds.${item.kind}`, { defaultValue: item.kind }) })),
        states: (['near', 'overdue'] as const).map((value) => ({ value, current: value === query.state })),
      });
    },
  });
}
