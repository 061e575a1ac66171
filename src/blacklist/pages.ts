import type { Request } from 'express';
import type { PlatformDeps } from '../platform/deps.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import { blacklistQuery, entryParams } from './schemas.js';
import * as blacklist from './service.js';

function page(req: Request, view: string, title: string, data: Record<string, unknown>): PageResult {
  return { view, data: { title, ...data } };
}

export function registerBlacklistPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/blacklist',
    access: 'public',
    query: blacklistQuery,
    handler: async ({ req, query }) => {
      const result = await blacklist.listEntries(deps, { status: query.status, q: query.q }, { page: query.page, pageSize: query.pageSize });
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      return page(req, 'blacklist/list', req.res!.locals.t('blacklist.list.title'), {
        result,
        query,
        pages,
        statuses: ['active', 'scheduled', 'expired', 'revoked', 'all'].map((value) => ({ value, selected: value === query.status })),
      });
    },
  });

  // before /blacklist/:id, whose id would not parse
  routes.page({
    method: 'get',
    path: '/blacklist/feed.atom',
    access: 'public',
    handler: async ({ res }) => {
      const feed = await blacklist.atomFeed(deps, deps.config.publicBaseUrl);
      res.status(200).type('application/atom+xml; charset=utf-8').send(feed);
    },
  });

  routes.page({
    method: 'get',
    path: '/blacklist/:id',
    access: 'public',
    params: entryParams,
    handler: async ({ req, params, user }) => {
      const entry = await blacklist.getEntry(deps, user, params.id);
      return page(req, 'blacklist/entry', req.res!.locals.t('blacklist.entry.title', { name: entry.firmName }), { entry });
    },
  });
}
