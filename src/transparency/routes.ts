import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import { listAnnouncements } from './announcements.js';
import { releasePackage } from './ocds.js';
import { riskFlags } from './risk-flags.js';
import {
  announcementQuery,
  announcementSchema,
  ocdsQuery,
  ocdsReleasePackageResponse,
  riskFlagQuery,
  riskFlagsResponse,
  statisticsResponse,
} from './schemas.js';
import { computeStatistics } from './statistics.js';
import { pageOf } from '../audit/schemas.js';


export function registerTransparencyRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const db = deps.database.db;

  routes.api({
    method: 'get',
    path: '/announcements',
    access: 'public',
    tags: ['announcements'],
    summary: 'Public notices (公告): project notices, results, failures, blacklist entries, catalogue changes; newest first',
    query: announcementQuery,
    response: { status: 200, description: 'A page of announcements, each with the link to its project or entry', schema: pageOf(announcementSchema) },
    handler: ({ query }) => {
      const { page, pageSize, ...filter } = query;
      return listAnnouncements(db, filter, { page, pageSize });
    },
  });

  routes.api({
    method: 'get',
    path: '/statistics',
    access: 'public',
    tags: ['statistics'],
    summary: 'The figures of the statistics page: projects by method and status, savings, time to award, competition, credit grades, on-time delivery, question replies',
    response: { status: 200, description: 'Statistics; money in fen, percentages as strings with two decimals', schema: statisticsResponse },
    handler: () => computeStatistics(db, deps.clock),
  });

  routes.api({
    method: 'get',
    path: '/ocds/releases',
    access: 'public',
    tags: ['ocds'],
    summary: 'Open Contracting Data Standard 1.1 release package: one release per project change, oldest first, 100 per page',
    query: ocdsQuery,
    response: { status: 200, description: 'OCDS release package', schema: ocdsReleasePackageResponse },
    handler: ({ query }) => releasePackage(db, { since: query.since, page: query.page, baseUrl: deps.config.publicBaseUrl, ocidPrefix: deps.config.ocdsPrefix, now: deps.clock.now() }),
  });

  routes.api({
    method: 'get',
    path: '/risk-flags',
    access: ['staff', 'admin'],
    tags: ['risk-flags'],
    summary: 'Integrity risk flags (after Prozorro): each names its rule, threshold and evidence',
    query: riskFlagQuery,
    response: { status: 200, description: 'Flags', schema: riskFlagsResponse },
    handler: async ({ query }) => {
      const items = await riskFlags(db, deps.clock, query);
      return { items, total: items.length };
    },
  });
}
