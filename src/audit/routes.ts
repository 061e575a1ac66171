import { isoShanghai } from '../platform/time.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import type { AuditEvent } from './chain.js';
import {
  auditEventSchema,
  auditHeadSchema,
  auditQuerySchema,
  entityTrailParams,
  pageOf,
  pageQuery,
} from './schemas.js';
import { findAuditEvents, readAuditHead } from './service.js';

const present = (event: AuditEvent) => ({ ...event, at: isoShanghai(event.at) });

export function registerAuditRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const db = deps.database.db;

  routes.api({
    method: 'get',
    path: '/audit/head',
    access: 'public',
    summary: 'The latest audit event: publish or compare it to detect rewriting of history',
    tags: ['audit'],
    response: { status: 200, description: 'Head of the hash chain', schema: auditHeadSchema },
    handler: () => readAuditHead(db),
  });

  routes.api({
    method: 'get',
    path: '/audit/events',
    access: ['staff', 'admin'],
    summary: 'Read the audit log, filtered by entity or action',
    tags: ['audit'],
    query: auditQuerySchema,
    response: { status: 200, description: 'A page of events, newest first', schema: pageOf(auditEventSchema) },
    handler: async ({ query }) => {
      const { page, pageSize, ...filter } = query;
      const result = await findAuditEvents(db, filter, { offset: (page - 1) * pageSize, limit: pageSize });
      return { items: result.items.map(present), total: result.total, page, pageSize };
    },
  });

  routes.api({
    method: 'get',
    path: '/audit/trail/:entityType/:entityId',
    access: 'public',
    summary: 'The audit trail of a public entity (project, lottery, blacklist entry, catalogue item)',
    tags: ['audit'],
    params: entityTrailParams,
    query: pageQuery,
    response: { status: 200, description: 'A page of events, newest first', schema: pageOf(auditEventSchema) },
    handler: async ({ params, query }) => {
      const result = await findAuditEvents(db, params, {
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      });
      return { items: result.items.map(present), total: result.total, page: query.page, pageSize: query.pageSize };
    },
  });
}
