import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';
import { shanghaiInstant } from '../platform/time.js';
import { KIND_PATTERN } from './announcements.js';
import { RISK_RULE_NAMES, type RiskRule } from './risk-flags.js';
import { entityId, text } from '../platform/text.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A calendar date (Asia/Shanghai, from its start) or an ISO 8601 instant with offset. */
const instant = z.union([
  text().regex(DATE).refine((value) => !Number.isNaN(new Date(value).getTime()), 'is not a date').transform((value) => shanghaiInstant(value)),
  z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
]);

/** Empty form fields mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const kindSchema = text().regex(KIND_PATTERN, 'must be an announcement kind such as project_notice');

export const announcementQuery = pageQuery.extend({
  kind: optional(kindSchema),
  projectId: optional(entityId()),
  since: optional(instant),
  /** A date means up to the end of that day; an instant is exclusive. */
  until: optional(
    z.union([
      text().regex(DATE).refine((value) => !Number.isNaN(new Date(value).getTime()), 'is not a date').transform((value) => new Date(shanghaiInstant(value).getTime() + DAY_MS)),
      z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
    ]),
  ),
});

export const feedKindParams = z.object({ kind: kindSchema });

export const ocdsQuery = z.object({
  since: optional(instant),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export const riskFlagQuery = z.object({
  rule: optional(z.enum(RISK_RULE_NAMES as [RiskRule, ...RiskRule[]])),
  projectId: optional(entityId()),
});

export const announcementSchema = z.object({
  id: z.number().int(),
  kind: text(),
  projectId: z.number().int().nullable(),
  entityType: text().nullable(),
  entityId: text().nullable(),
  title: text(),
  body: text(),
  publishedAt: text(),
  link: text(),
});
