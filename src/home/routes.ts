import { readAuditHead } from '../audit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';

export function registerHomeRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/',
    access: 'public',
    handler: async ({ res }) => {
      const head = await readAuditHead(deps.database.db);
      return {
        view: 'home/index',
        data: { title: res.locals.t('pages.home.title'), auditHead: head },
      };
    },
  });
}
