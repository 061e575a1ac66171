import { z } from 'zod';
import { CATEGORIES, FEE_MODES, SERVICE_STATUSES } from './model.js';
import { text } from '../platform/text.js';

/** Fen amounts up to ¥100 billion: whole numbers, never floats. */
export const MAX_FEN = 10_000_000_000_000;

export const CODE_PATTERN = /^[A-Z]{1,10}(?:-[A-Z0-9]{1,10}){1,3}$/;

export const codeSchema = text()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(text().regex(CODE_PATTERN, 'must look like ZJ-001: capital letters, a hyphen, then letters or digits'))
  .describe('Service code, e.g. ZJ-001 (case-insensitive, stored in capitals)');

const missingOr = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined || issue.input === null ? 'is required' : message),
});

const fenSchema = z
  .number(missingOr('must be a number'))
  .int('must be a whole number of fen')
  .min(0, 'must not be negative')
  .max(MAX_FEN, 'is too large');

const boundedText = (max: number) => text(missingOr('must be text')).trim().max(max, `must be at most ${max} characters`);
const requiredText = (max: number) => boundedText(max).min(1, 'is required');

export const feeSchema = z
  .object({
    mode: z.enum(FEE_MODES).describe('government: 政府定价, guided: 政府指导价, market: 市场调节价'),
    minFen: fenSchema.nullish().transform((value) => value ?? null),
    maxFen: fenSchema.nullish().transform((value) => value ?? null),
    basis: requiredText(2000).describe('收费依据'),
  })
  .superRefine((fee, context) => {
    if (fee.mode !== 'market' && fee.maxFen === null) {
      context.addIssue({ code: 'custom', path: ['maxFen'], message: 'is required when the price is set or guided by the government' });
    }
    if (fee.minFen !== null && fee.maxFen !== null && fee.minFen > fee.maxFen) {
      context.addIssue({ code: 'custom', path: ['maxFen'], message: 'must not be below minFen' });
    }
  });

export const serviceContentSchema = z.object({
  name: requiredText(100),
  category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(', ')}` }),
  basis: requiredText(5000).describe('设定依据: laws, regulations and documents that require the service'),
  timeLimitDays: z.number(missingOr('must be a number')).int('must be a whole number of working days').min(1, 'must be at least 1').max(365, 'must be at most 365').describe('服务时限, working days'),
  fee: feeSchema,
  qualificationRequirements: boundedText(2000).default('').describe('资质要求; empty when none is required'),
  relatedApproval: requiredText(500).describe('对应审批事项'),
});

export const createServiceSchema = serviceContentSchema.extend({ code: codeSchema });

export type ServiceContentInput = z.infer<typeof serviceContentSchema>;
export type CreateServiceInput = z.infer<typeof createServiceSchema>;

export const codeParams = z.object({ code: codeSchema });

export const retireSchema = z.object({ reason: boundedText(500).optional() });

/** An empty query parameter (a search form's "all" choice) means the parameter is absent. */
const optionalParam = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const listQuery = z.object({
  q: text().trim().max(100, 'must be at most 100 characters').optional(),
  category: optionalParam(z.enum(CATEGORIES)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, 'must be at most 100').default(20),
});
export type ListQuery = z.infer<typeof listQuery>;

export const workingCopiesQuery = listQuery.extend({ status: optionalParam(z.enum(SERVICE_STATUSES)) });
export type WorkingCopiesQuery = z.infer<typeof workingCopiesQuery>;

const feeResponse = z.object({
  mode: z.enum(FEE_MODES),
  minFen: z.number().int().nullable(),
  maxFen: z.number().int().nullable(),
  basis: text(),
});

const contentResponse = z.object({
  name: text(),
  category: z.enum(CATEGORIES),
  basis: text(),
  timeLimitDays: z.number().int(),
  fee: feeResponse,
  qualificationRequirements: text(),
  relatedApproval: text(),
});

export const serviceItemResponse = contentResponse.extend({
  code: text(),
  status: z.enum(SERVICE_STATUSES),
  version: z.number().int(),
  publishedAt: text().nullable(),
  retiredAt: text().nullable(),
});

export const serviceDetailResponse = serviceItemResponse.extend({
  history: z.array(
    z.object({
      version: z.number().int(),
      publishedAt: text(),
      changedFields: z.array(text()),
      content: contentResponse,
    }),
  ),
});

export const workingCopyResponse = z.object({
  item: serviceItemResponse.extend({ createdAt: text(), updatedAt: text() }),
  revision: contentResponse.nullable(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const importReportResponse = z.object({
  imported: z.number().int(),
  format: z.enum(['csv', 'xlsx']),
  rows: z.array(
    z.object({
      row: z.number().int(),
      code: text().nullable(),
      status: z.enum(['ok', 'error']),
      errors: z.array(
        z.object({
          path: text(),
          kind: z.enum(['invalid', 'not_integer', 'unknown_fee_mode', 'unknown_status', 'field_count', 'duplicate_in_file', 'code_exists']),
          message: text(),
          firstRow: z.number().int().optional(),
        }),
      ),
    }),
  ),
});
