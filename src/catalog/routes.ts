import type { PlatformDeps } from '../platform/deps.js';
import { AppError, toProblem } from '../platform/errors.js';
import { actorOf } from '../platform/http/access.js';
import type { RouteTable } from '../platform/http/routes.js';
import { isoShanghai } from '../platform/time.js';
import { ImportRejected, importServiceItems } from './import.js';
import type { PublishedServiceDetail, ServiceContent, ServiceItem, WorkingCopy } from './model.js';
import { registerCatalogPages } from './pages.js';
import {
  codeParams,
  createServiceSchema,
  importReportResponse,
  listQuery,
  pageOf,
  retireSchema,
  serviceContentSchema,
  serviceDetailResponse,
  serviceItemResponse,
  workingCopiesQuery,
  workingCopyResponse,
} from './schemas.js';
import * as catalog from './service.js';
import { catalogueCsv, catalogueXlsx, CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE } from './spreadsheet.js';
import { text } from '../platform/text.js';

const iso = (date: Date | null) => (date ? isoShanghai(date) : null);

export const presentItem = (item: ServiceItem) => ({
  code: item.code,
  name: item.name,
  category: item.category,
  basis: item.basis,
  timeLimitDays: item.timeLimitDays,
  fee: item.fee,
  qualificationRequirements: item.qualificationRequirements,
  relatedApproval: item.relatedApproval,
  status: item.status,
  version: item.version,
  publishedAt: iso(item.publishedAt),
  retiredAt: iso(item.retiredAt),
});

const presentDetail = (detail: PublishedServiceDetail) => ({
  ...presentItem(detail),
  history: detail.history.map((version) => ({
    version: version.version,
    publishedAt: isoShanghai(version.publishedAt),
    changedFields: version.changedFields,
    content: version.content,
  })),
});

const presentWorkingCopy = (copy: WorkingCopy) => ({
  item: { ...presentItem(copy.item), createdAt: isoShanghai(copy.item.createdAt), updatedAt: isoShanghai(copy.item.updatedAt) },
  revision: copy.revision,
});

/** Content-Disposition with an ASCII fallback and the Chinese name (RFC 6266 / 5987). */
const attachment = (ascii: string, chinese: string) =>
  `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`;

const MANAGE: ['staff', 'admin'] = ['staff', 'admin'];

export function registerCatalogRoutes(routes: RouteTable, deps: PlatformDeps): void {
  registerCatalogApiRoutes(routes, deps);
  registerCatalogPages(routes, deps);
}

function registerCatalogApiRoutes(routes: RouteTable, deps: PlatformDeps): void {
  // Fixed paths first: Express tries routes in order, and /services/:code would take them.
  routes.api({
    method: 'get',
    path: '/services',
    access: 'public',
    summary: 'Search the published catalogue by code, name, legal basis, approval and category',
    tags: ['catalogue'],
    query: listQuery,
    response: { status: 200, description: 'A page of published service items', schema: pageOf(serviceItemResponse) },
    handler: async ({ query }) => {
      const page = await catalog.searchPublishedServices(deps, query);
      return { ...page, items: page.items.map(presentItem) };
    },
  });

  routes.api({
    method: 'get',
    path: '/services/export.csv',
    access: 'public',
    summary: 'The published catalogue as CSV (UTF-8 with BOM, Chinese headers, amounts in fen)',
    tags: ['catalogue'],
    response: { status: 200, description: 'CSV file', schema: text(), contentType: 'text/csv' },
    handler: async ({ res }) => {
      const csv = catalogueCsv(await catalog.listPublishedForExport(deps));
      res.status(200).type(CSV_MEDIA_TYPE).set('Content-Disposition', attachment('services.csv', '中介服务事项清单.csv')).send(csv);
      return undefined;
    },
  });

  routes.api({
    method: 'get',
    path: '/services/export.xlsx',
    access: 'public',
    summary: 'The published catalogue as an Excel workbook (Chinese headers, amounts in fen)',
    tags: ['catalogue'],
    response: { status: 200, description: 'xlsx file', schema: text(), contentType: XLSX_MEDIA_TYPE },
    handler: async ({ res }) => {
      const xlsx = await catalogueXlsx(await catalog.listPublishedForExport(deps), deps.clock.now());
      res.status(200).type(XLSX_MEDIA_TYPE).set('Content-Disposition', attachment('services.xlsx', '中介服务事项清单.xlsx')).send(xlsx);
      return undefined;
    },
  });

  routes.api({
    method: 'get',
    path: '/services/working-copies',
    access: MANAGE,
    summary: 'Every item in any status, with its pending revision (staff)',
    tags: ['catalogue'],
    query: workingCopiesQuery,
    response: { status: 200, description: 'A page of working copies', schema: pageOf(workingCopyResponse) },
    handler: async ({ query }) => {
      const page = await catalog.searchWorkingCopies(deps, query);
      return { ...page, items: page.items.map(presentWorkingCopy) };
    },
  });

  routes.api({
    method: 'post',
    path: '/services',
    access: MANAGE,
    summary: 'Create a service item as a draft',
    tags: ['catalogue'],
    body: createServiceSchema,
    response: { status: 201, description: 'The new draft', schema: workingCopyResponse },
    errors: [409],
    handler: async ({ body, user }) => presentWorkingCopy(await catalog.createServiceItem(deps, actorOf(user), body)),
  });

  routes.api({
    method: 'post',
    path: '/services/import',
    access: MANAGE,
    summary:
      'Import items from a CSV (UTF-8 or GB18030) or xlsx file sent as the raw body (Content-Type text/csv or the xlsx type). ' +
      'Every row is checked first; if any fails nothing is imported and the answer is a 422 problem with the per-row report.',
    tags: ['catalogue'],
    response: { status: 201, description: 'Every row imported', schema: importReportResponse },
    errors: [409, 422],
    handler: async ({ req, res, user }) => {
      if (!Buffer.isBuffer(req.body)) {
        throw new AppError(415, 'unsupported_media_type', 'Send the file as the request body with Content-Type text/csv or ' + XLSX_MEDIA_TYPE);
      }
      try {
        return await importServiceItems(deps, actorOf(user), req.body);
      } catch (error) {
        if (!(error instanceof ImportRejected)) throw error;
        const problem = toProblem(new AppError(422, 'import_rejected', error.message), String((req as { id?: unknown }).id ?? '') || undefined);
        res.status(422).type('application/problem+json').send(JSON.stringify({ ...problem, report: error.report }));
        return undefined;
      }
    },
  });

  routes.api({
    method: 'get',
    path: '/services/:code',
    access: 'public',
    summary: 'A published (or retired) item with every published version: what changed and when',
    tags: ['catalogue'],
    params: codeParams,
    response: { status: 200, description: 'The item and its history', schema: serviceDetailResponse },
    handler: async ({ params }) => presentDetail(await catalog.getPublicService(deps, params.code)),
  });

  routes.api({
    method: 'get',
    path: '/services/:code/working-copy',
    access: MANAGE,
    summary: 'The item as staff edit it: drafts included, with the pending revision of a published item',
    tags: ['catalogue'],
    params: codeParams,
    response: { status: 200, description: 'The working copy', schema: workingCopyResponse },
    handler: async ({ params }) => presentWorkingCopy(await catalog.getWorkingCopy(deps, params.code)),
  });

  routes.api({
    method: 'put',
    path: '/services/:code',
    access: MANAGE,
    summary: 'Edit an item: a draft changes in place; a published item keeps its public version and gets a pending revision',
    tags: ['catalogue'],
    params: codeParams,
    body: serviceContentSchema,
    response: { status: 200, description: 'The working copy', schema: workingCopyResponse },
    errors: [409],
    handler: async ({ params, body, user }) =>
      presentWorkingCopy(await catalog.editServiceItem(deps, actorOf(user), params.code, body as ServiceContent)),
  });

  routes.api({
    method: 'delete',
    path: '/services/:code/revision',
    access: MANAGE,
    summary: 'Discard the pending revision of a published item',
    tags: ['catalogue'],
    params: codeParams,
    response: { status: 200, description: 'The working copy', schema: workingCopyResponse },
    errors: [409],
    handler: async ({ params, user }) => presentWorkingCopy(await catalog.discardRevision(deps, actorOf(user), params.code)),
  });

  routes.api({
    method: 'post',
    path: '/services/:code/publish',
    access: MANAGE,
    summary: 'Publish a draft as version 1, or a pending revision as the next version',
    tags: ['catalogue'],
    params: codeParams,
    response: { status: 200, description: 'The published item', schema: workingCopyResponse },
    errors: [409],
    handler: async ({ params, user }) => presentWorkingCopy(await catalog.publishServiceItem(deps, actorOf(user), params.code)),
  });

  routes.api({
    method: 'post',
    path: '/services/:code/retire',
    access: MANAGE,
    summary: 'Retire an item: it leaves the public list; its page and history stay',
    tags: ['catalogue'],
    params: codeParams,
    body: retireSchema,
    response: { status: 200, description: 'The retired item', schema: workingCopyResponse },
    errors: [409],
    handler: async ({ params, body, user }) =>
      presentWorkingCopy(await catalog.retireServiceItem(deps, actorOf(user), params.code, body.reason)),
  });
}
