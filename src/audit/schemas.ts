import { z } from 'zod';

export const auditHeadSchema = z.object({
  seq: z.number().int(),
  hash: z.string(),
});

export const auditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  data: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const auditQuerySchema = pageQuery.extend({
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(128).optional(),
  action: z.string().max(128).optional(),
});

export const PUBLIC_ENTITY_TYPES = ['project', 'lottery', 'blacklist_entry', 'service_item', 'calendar_year'] as const;

export const entityTrailParams = z.object({
  entityType: z.enum(PUBLIC_ENTITY_TYPES),
  entityId: z.string().min(1).max(128),
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
  items: z.array(z.object({ seq: z.number().int(), bodyHash: z.string(), linkHash: z.string() })),
  next: z.string().optional(),
});
