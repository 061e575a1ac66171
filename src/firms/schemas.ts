import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';
import { isCalendarDate } from '../platform/time.js';
import { entityId, text } from '../platform/text.js';

const calendarDate = text().refine(isCalendarDate, 'must be a date YYYY-MM-DD');
const reason = text().trim().min(2, 'give a reason').max(1000);

/** 居民身份证号: 18 characters with an ISO 7064 MOD 11-2 check character. */
export function idNumberValid(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, i) => total + weight * Number(value[i]), 0);
  return '10X98765432'[sum % 11] === value[17];
}

export const firmIdParams = z.object({ id: entityId() });
export const qualificationParams = firmIdParams.extend({ qualificationId: entityId() });

export const directoryQuery = pageQuery.extend({
  q: text().trim().max(100).optional(),
  service: text().trim().max(32).optional(),
  minGrade: z.enum(['AAA', 'AA', 'A', 'B', 'C']).optional().describe('Credit grade filter (applies once credit ratings exist)'),
});

export const profileSchema = z.object({
  legalRepresentative: text().trim().min(2).max(50),
  legalRepresentativeId: text()
    .trim()
    .toUpperCase()
    .refine(idNumberValid, 'must be an 18-character resident ID number with a correct check character')
    .optional(),
  address: text().trim().min(4).max(300),
  contactName: text().trim().min(1).max(50),
  contactPhone: text().trim().regex(/^(\+?86[- ]?)?(1\d{10}|0\d{2,3}-?\d{7,8})$/, 'must be a mainland mobile or landline number'),
  email: z.email().max(200).optional(),
});

export const qualificationSchema = z.object({
  serviceCode: text().trim().min(1).max(32),
  level: text().trim().min(1).max(50).describe('e.g. 甲级, 乙级, or 不分级'),
  certificateNo: text().trim().min(3).max(100),
  issuer: text().trim().min(2).max(200),
  validUntil: calendarDate,
});

export const firmReviewSchema = z.object({ decision: z.enum(['approve', 'reject']), reason });
export const qualificationReviewSchema = z.object({ decision: z.enum(['approve', 'reject']), reason });
export const reasonSchema = z.object({ reason });

export const debtorImportSchema = z.object({
  sourceName: text().trim().min(2).max(200).describe('Where the list comes from, e.g. 最高人民法院失信被执行人名单 2026-11-20'),
  csv: text().min(1).max(5_000_000).describe('CSV with header: name, uscc_or_id, case_number, court, date'),
});

export const eligibilityQuery = z.object({
  service: text().trim().min(1).max(32),
  minGrade: z.enum(['AAA', 'AA', 'A', 'B', 'C']).optional(),
});
