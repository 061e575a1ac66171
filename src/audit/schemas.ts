import { z } from 'zod';
import { entityId, text } from '../platform/text.js';
import { CHECKPOINT_REASONS } from './checkpoint-format.js';

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

export const checkpointSchema = z.object({
  seq: z.number().int().describe('The head seq signed'),
  hash: text().describe("The chain's link hash at that seq (hex)"),
  signedAt: text().describe('When it was signed: UTC ISO 8601 with milliseconds, exactly the string that was signed (not converted to +08:00), so it verifies offline'),
  reason: z.enum(CHECKPOINT_REASONS).describe('interval: at least every 10 minutes while the chain moves; opening: right after a sealed opening'),
  keyId: text().describe('First 16 hex characters of SHA-256 of the raw public key'),
  signature: text().describe('Ed25519 signature (base64) of the UTF-8 bytes of canonical JSON {"hash","seq","signedAt","v":1}'),
});

const checkpointKeySchema = {
  publicKey: text().describe('The raw 32-byte Ed25519 public key, hex'),
  keyId: text(),
  algorithm: z.literal('Ed25519'),
};

export const checkpointsSchema = z.object({
  ...checkpointKeySchema,
  items: z.array(checkpointSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const oneCheckpointSchema = checkpointSchema.extend(checkpointKeySchema);

export const checkpointParams = z.object({ seq: entityId() });
