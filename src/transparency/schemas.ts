import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';
import { GRADES } from '../credit/score.js';
import { METHODS } from '../projects/schemas.js';
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

const int = () => z.number().int();
/** Two decimals, rounded half-up, e.g. "12.50"; null when there is nothing to divide by. */
const percentText = () => text().nullable();
/** A median of whole numbers: a .5 at most; null with no values. */
const median = () => z.number().nullable();

const savingsFigures = z.object({
  projects: int(),
  budgetFen: int(),
  winningFen: int(),
  savingsFen: int(),
  savingsPercent: percentText(),
});

const replyCounts = z.object({
  onTime: int(),
  late: int(),
  unanswered: int(),
  pending: int(),
  due: int(),
  replyPercent: percentText(),
  onTimePercent: percentText(),
});

export const statisticsResponse = z.object({
  generatedAt: text(),
  projectsByMethod: z.array(z.object({ key: z.enum(METHODS), count: int() })),
  projectsByStatus: z.array(z.object({ key: text(), count: int() })),
  savings: z.object({
    total: savingsFigures,
    byMethod: z.array(savingsFigures.extend({ method: z.enum(METHODS) })),
  }),
  timeToAward: z.object({
    projects: int(),
    medianWorkingDays: median(),
    byMethod: z.array(z.object({ method: z.enum(METHODS), projects: int(), medianWorkingDays: median() })),
    skippedWithoutCalendar: int(),
  }),
  competition: z.object({
    projects: int(),
    meanRegistrants: percentText(),
    medianRegistrants: median(),
    byMethod: z.array(z.object({ method: z.enum(METHODS), projects: int(), meanRegistrants: percentText(), medianRegistrants: median() })),
  }),
  creditGrades: z.object({
    firms: int(),
    grades: z.array(z.object({ grade: z.enum([...GRADES, 'blacklisted']), count: int() })),
  }),
  onTimeDelivery: z.object({ deliveries: int(), onTime: int(), overdue: int(), onTimePercent: percentText() }),
  questionReplies: z.object({
    total: replyCounts,
    byOwner: z.array(replyCounts.extend({ ownerId: int(), ownerName: text() })),
  }),
});

/** The package is described; each release stays OCDS 1.1 (https://standard.open-contracting.org/1.1/). */
export const ocdsReleasePackageResponse = z.object({
  uri: text(),
  version: z.literal('1.1'),
  publishedDate: text(),
  publisher: z.object({ name: text(), scheme: z.null(), uid: z.null(), uri: text() }),
  license: text(),
  publicationPolicy: text(),
  releases: z.array(z.looseObject({ ocid: text(), id: text(), date: text(), tag: z.array(text()) })),
  links: z.object({ next: text() }).optional().describe('Present while more pages follow'),
});

export const riskFlagSchema = z.object({
  rule: z.enum(RISK_RULE_NAMES as [RiskRule, ...RiskRule[]]),
  threshold: text(),
  projectIds: z.array(int()),
  firmIds: z.array(int()),
  ownerId: int().optional(),
  summary: text(),
  evidence: z.record(text(), z.unknown()).describe('What the rule saw; its keys depend on the rule'),
});

export const riskFlagsResponse = z.object({ items: z.array(riskFlagSchema), total: int() });
