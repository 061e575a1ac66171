import { isoShanghai } from '../platform/time.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { RouteTable } from '../platform/http/routes.js';
import type { AuditEvent } from './chain.js';
import {
  auditEventSchema,
  auditHeadSchema,
  auditQuerySchema,
  chainLinksQuery,
  checkpointParams,
  checkpointsSchema,
  oneCheckpointSchema,
  chainLinksSchema,
  entityTrailParams,
  pageOf,
  pageQuery,
} from './schemas.js';
import { findAuditEvents, readAuditHead } from './service.js';
import { LINKS_PAGE_MAX, readLinks } from './public-trail.js';
import { checkpointKey, findCheckpoint, listCheckpoints, presentCheckpoint } from './checkpoints.js';
import { notFound } from '../platform/errors.js';

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
    summary: 'Read the audit log, filtered by entity or action; sealed commitments are left out (their links are in /audit/links, their content in the opening\'s reveal)',
    tags: ['audit'],
    query: auditQuerySchema,
    response: { status: 200, description: 'A page of events, newest first', schema: pageOf(auditEventSchema) },
    handler: async ({ query }) => {
      const { page, pageSize, ...filter } = query;
      // a sealed commitment says only when something happened somewhere: on a quiet platform its
      // time would tell when someone quoted, so the log lists the opening's reveal instead
      const result = await findAuditEvents(db, { ...filter, withoutSealed: true }, { offset: (page - 1) * pageSize, limit: pageSize });
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

  routes.api({
    method: 'get',
    path: '/audit/links',
    access: 'public',
    summary: "The chain's links (seq, bodyHash, linkHash; no bodies), to check a downloaded entity trail against the published head",
    tags: ['audit'],
    query: chainLinksQuery,
    response: { status: 200, description: `Up to ${LINKS_PAGE_MAX} links after \`after\`, oldest first, with the head they lead to`, schema: chainLinksSchema },
    handler: async ({ query }) => {
      const head = await readAuditHead(db);
      const upTo = query.upTo ?? head.seq;
      const items = await readLinks(db, query.after, query.limit, upTo);
      const last = items[items.length - 1]?.seq ?? query.after;
      return { head, items, ...(last < Math.min(upTo, head.seq) ? { next: `/api/v1/audit/links?after=${last}&limit=${query.limit}&upTo=${upTo}` } : {}) };
    },
  });

  routes.api({
    method: 'get',
    path: '/audit/checkpoints',
    access: 'public',
    summary: 'Signed checkpoints of the chain (Ed25519 signed tree heads): save them, and any later rewrite of history contradicts them',
    tags: ['audit'],
    query: pageQuery,
    response: { status: 200, description: 'The public key and a page of checkpoints, newest first', schema: checkpointsSchema },
    handler: ({ query }) => listCheckpoints(deps, query),
  });

  routes.api({
    method: 'get',
    path: '/audit/checkpoints/:seq',
    access: 'public',
    summary: 'One signed checkpoint, with the public key',
    tags: ['audit'],
    params: checkpointParams,
    response: { status: 200, description: 'The checkpoint signed at that seq', schema: oneCheckpointSchema },
    handler: async ({ params }) => {
      const checkpoint = await findCheckpoint(deps, params.seq);
      if (!checkpoint) throw notFound(`Checkpoint ${params.seq}`);
      return { ...presentCheckpoint(checkpoint), ...checkpointKey(deps) };
    },
  });
}
