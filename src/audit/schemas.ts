import { z } from 'zod';
import { text } from '../platform/text.js';

export const auditHeadSchema = z.object({
  seq: z.number().int(),
  hash: text(),
});

export const auditEventSchema = z.object({
  seq: z.number().int(),
  at: text(),
  actor: text(),
  action: text(),
  entityType: text(),
  entityId: text(),
  data: z.unknown(),
  prevHash: text(),
  hash: text(),
});

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const auditQuerySchema = pageQuery.extend({
  entityType: text().max(64).optional(),
  entityId: text().max(128).optional(),
  action: text().max(128).optional(),
});

export const PUBLIC_ENTITY_TYPES = ['project', 'lottery', 'blacklist_entry', 'service_item', 'calendar_year'] as const;

export const entityTrailParams = z.object({
  entityType: z.enum(PUBLIC_ENTITY_TYPES),
  entityId: text().min(1).max(128),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const chainLinksQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  upTo: z.coerce.number().int().min(0).optional(),
});

export const chainLinksSchema = z.object({
  head: auditHeadSchema,
  items: z.array(z.object({ seq: z.number().int(), bodyHash: text(), linkHash: text() })),
  next: text().optional(),
});
