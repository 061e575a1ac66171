import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { PlatformDeps } from '../platform/deps.js';
import { isoShanghai } from '../platform/time.js';
import { API_PREFIX } from '../platform/http/routes.js';
import { latestCheckpoint } from './checkpoints.js';
import { findAuditEvents, readAuditHead } from './service.js';

/** How many of an entity's latest events its page lists; the full trail is one link away. */
export const PAGE_TRAIL_SIZE = 50;

/** The public entity pages and the audit entity each shows the trail of. */
const ENTITY_PAGES: { path: string; entityType: string; id: RegExp; normalise?: (id: string) => string }[] = [
  { path: '/projects/:id', entityType: 'project', id: /^\d{1,9}$/ },
  { path: '/lotteries/:id', entityType: 'lottery', id: /^[A-Za-z0-9-]{1,64}$/ },
  { path: '/blacklist/:id', entityType: 'blacklist_entry', id: /^\d{1,9}$/ },
  { path: '/services/:code', entityType: 'service_item', id: /^(?!manage$|new$|import$)[A-Za-z0-9-]{1,32}$/, normalise: (code) => code.toUpperCase() },
];

/**
 * View locals for every page: the audit head and the latest signed checkpoint (for the footer)
 * and, on a public entity's page, its latest audit events (for the audit-trail partial). Pages
 * need not load any of them themselves.
 */
export function auditPageLocals(deps: Pick<PlatformDeps, 'database'>): RequestHandler {
  const db = deps.database.db;
  const router = Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith(API_PREFIX) || req.path.startsWith('/feeds/') || req.path.endsWith('.atom')) return next();
    Promise.all([readAuditHead(db), latestCheckpoint(deps)])
      .then(([head, checkpoint]) => {
        res.locals.footerAuditHead = { seq: head.seq, hash: head.hash, short: head.hash.slice(0, 12) };
        if (checkpoint) res.locals.footerAuditCheckpoint = { seq: checkpoint.seq, hash: checkpoint.hash, short: checkpoint.hash.slice(0, 12), signedAt: checkpoint.signedAt };
        next();
      })
      .catch(next);
  });
  for (const page of ENTITY_PAGES) {
    router.get(page.path, (req: Request, res: Response, next: NextFunction) => {
      const raw = String(req.params.id ?? req.params.code);
      if (!page.id.test(raw)) return next();
      const entityId = page.normalise ? page.normalise(raw) : raw;
      findAuditEvents(db, { entityType: page.entityType, entityId }, { offset: 0, limit: PAGE_TRAIL_SIZE })
        .then(({ items, total }) => {
          res.locals.auditTrail = {
            entityType: page.entityType,
            entityId,
            total,
            more: total > items.length,
            jsonLink: `${API_PREFIX}/audit/trail/${page.entityType}/${encodeURIComponent(entityId)}?pageSize=100`,
            events: items.map((event) => ({ seq: event.seq, at: isoShanghai(event.at), actor: event.actor, action: event.action, hashShort: event.hash.slice(0, 12), hash: event.hash })),
          };
          next();
        })
        .catch(next);
    });
  }
  return router;
}
