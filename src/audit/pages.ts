import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import { checkpointsFeed } from './checkpoints.js';

export function registerAuditPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/feeds/audit-checkpoints.atom',
    access: 'public',
    handler: async ({ res }) => {
      res.status(200).type('application/atom+xml; charset=utf-8').send(await checkpointsFeed(deps));
    },
  });
}
