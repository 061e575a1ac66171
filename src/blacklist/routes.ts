import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import {
  appealDecisionSchema,
  appealParams,
  appealResponse,
  appealSchema,
  blacklistQuery,
  entryDetailResponse,
  entryListResponse,
  entryParams,
  entryResponse,
  entrySchema,
  reasonSchema,
} from './schemas.js';
import * as blacklist from './service.js';
import { text } from '../platform/text.js';

const STAFF = ['staff', 'admin'] as const;

export function registerBlacklistRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.api({
    method: 'get',
    path: '/blacklist',
    access: 'public',
    summary: 'The public blacklist; status is computed from the clock (default: active entries)',
    tags: ['blacklist'],
    query: blacklistQuery,
    response: { status: 200, description: 'A page of entries', schema: entryListResponse },
    handler: ({ query }) => blacklist.listEntries(deps, { status: query.status, q: query.q }, { page: query.page, pageSize: query.pageSize }),
  });

  routes.api({
    method: 'get',
    path: '/blacklist/export.csv',
    access: 'public',
    summary: 'Every entry, past and present, as CSV (UTF-8 with BOM, Chinese headers)',
    tags: ['blacklist'],
    response: { status: 200, description: 'CSV file', schema: text(), contentType: 'text/csv' },
    handler: async ({ res }) => {
      const csv = await blacklist.exportCsv(deps);
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="blacklist.csv"; filename*=UTF-8''${encodeURIComponent('黑名单.csv')}`)
        .send(csv);
      return undefined;
    },
  });

  routes.api({
    method: 'get',
    path: '/blacklist/:id',
    access: 'public',
    summary: 'One entry with its status and appeal outcomes',
    tags: ['blacklist'],
    params: entryParams,
    response: { status: 200, description: 'The entry', schema: entryDetailResponse },
    handler: ({ params, user }) => blacklist.getEntry(deps, user, params.id),
  });

  routes.api({
    method: 'post',
    path: '/blacklist',
    access: STAFF,
    summary: 'Publish an entry; effective at once unless startsAt is later; also published as a notice (通报)',
    tags: ['blacklist'],
    body: entrySchema,
    response: { status: 201, description: 'The entry', schema: entryResponse },
    handler: ({ body, user }) => blacklist.publishEntry(deps, user!, body),
  });

  routes.api({
    method: 'post',
    path: '/blacklist/:id/revoke',
    access: STAFF,
    summary: 'Revoke an entry early (信用修复 or correction), with a reason; the entry stays on record',
    tags: ['blacklist'],
    params: entryParams,
    body: reasonSchema,
    response: { status: 200, description: 'The revoked entry', schema: entryResponse },
    errors: [409],
    handler: ({ params, body, user }) => blacklist.revokeEntry(deps, user!, params.id, body.reason),
  });

  routes.api({
    method: 'post',
    path: '/blacklist/:id/appeals',
    access: ['agency'],
    summary: `The listed firm appeals, within ${blacklist.APPEAL_PERIOD_DAYS} days of publication`,
    tags: ['blacklist'],
    params: entryParams,
    body: appealSchema,
    response: { status: 201, description: 'The appeal', schema: appealResponse },
    errors: [409],
    handler: ({ params, body, user }) => blacklist.fileAppeal(deps, user!, params.id, body.grounds),
  });

  routes.api({
    method: 'post',
    path: '/blacklist/:id/appeals/:appealId/decision',
    access: STAFF,
    summary: 'Uphold (the entry is revoked) or dismiss an appeal, with a reason',
    tags: ['blacklist'],
    params: appealParams,
    body: appealDecisionSchema,
    response: { status: 200, description: 'The decided appeal', schema: appealResponse },
    errors: [409],
    handler: ({ params, body, user }) => blacklist.decideAppeal(deps, user!, params.id, params.appealId, body.decision, body.reason),
  });
}
