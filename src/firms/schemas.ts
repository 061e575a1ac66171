import { z } from 'zod';
import { pageOf, pageQuery } from '../audit/schemas.js';
import { creditSummaryResponse } from '../credit/schemas.js';
import { GRADES } from '../credit/score.js';
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

/** A firm's admission status (准入), changed only by staff decisions. */
export const FIRM_STATUSES = ['pending', 'admitted', 'suspended', 'rejected'] as const;
/** A qualification's state: `expired` is a fact of the clock at read time, never stored. */
export const QUALIFICATION_STATES = ['pending', 'verified', 'rejected', 'expired'] as const;

export const firmIdParams = z.object({ id: entityId() });
export const qualificationParams = firmIdParams.extend({ qualificationId: entityId() });

export const directoryQuery = pageQuery.extend({
  q: text().trim().max(100).optional(),
  service: text().trim().max(32).optional(),
  minGrade: z.enum(GRADES).optional().describe('Credit grade filter (applies once credit ratings exist)'),
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
  minGrade: z.enum(GRADES).optional(),
});

// ---- responses ----

const int = z.number().int();
const privateField = 'Staff and the firm itself only';

export const qualificationResponse = z.object({
  id: int,
  serviceCode: text(),
  level: text(),
  certificateNo: text(),
  issuer: text(),
  validUntil: text().describe('YYYY-MM-DD'),
  state: z.enum(QUALIFICATION_STATES),
  reviewReason: text().nullable(),
  reviewedAt: text().nullable(),
});

/** An entry of the courts' list of dishonest judgment debtors (失信被执行人). */
const debtorEntryResponse = z.object({
  id: int,
  importId: int,
  name: text(),
  uscc: text().nullable(),
  idNumber: text().nullable(),
  caseNumber: text(),
  court: text(),
  listedOn: text().describe('YYYY-MM-DD'),
});

export const firmResponse = z.object({
  id: int,
  name: text(),
  uscc: text(),
  status: z.enum(FIRM_STATUSES),
  legalRepresentative: text().nullable(),
  address: text().nullable(),
  qualifications: z
    .array(qualificationResponse.partial({ reviewReason: true, reviewedAt: true }))
    .describe('Others see only verified (or expired) ones, without reviewReason and reviewedAt'),
  contact: z.object({ name: text(), phone: text(), email: text().nullable() }).optional().describe(privateField),
  legalRepresentativeId: text().nullable().optional().describe(privateField),
  debtorMatches: z
    .array(debtorEntryResponse.pick({ name: true, caseNumber: true, court: true, listedOn: true }).extend({ matchedBy: z.enum(['uscc', 'legal_representative_id']) }))
    .optional()
    .describe('Staff only: matches in the current debtor list (联合惩戒)'),
});

export const firmListResponse = pageOf(firmResponse.extend({ credit: creditSummaryResponse }));

export const firmDetailResponse = firmResponse.extend({
  decisions: z
    .array(
      z.object({
        id: int,
        firmId: int,
        decision: z.enum(['approve', 'reject', 'suspend', 'reinstate']),
        fromStatus: z.enum(FIRM_STATUSES),
        toStatus: z.enum(FIRM_STATUSES),
        reason: text(),
        decidedBy: text(),
        decidedAt: text(),
      }),
    )
    .describe('Staff decisions, newest first; empty for others than staff and the firm itself'),
});

export const firmDecisionResponse = firmResponse.pick({ id: true, status: true });

export const eligibilityResponse = z.object({
  eligible: z.boolean(),
  failures: z.array(z.object({ rule: text().describe('e.g. firm_suspended, qualification_expired, blacklisted'), message: text() })).describe('Every rule that failed'),
});

const debtorMatch = z.object({ firmId: int, firmName: text() });

export const debtorImportResponse = z.object({
  imported: int,
  problems: z
    .array(z.object({ row: int.describe('Line in the file; 0 for the whole file'), errors: z.array(text()) }))
    .describe('Empty when imported; a 422 carries this report with the problems and nothing is imported'),
  matches: z.array(debtorMatch.extend({ caseNumbers: z.array(text()) })),
});

export const debtorOverviewResponse = z.object({
  latest: z.object({ id: int, sourceName: text(), rowCount: int, importedBy: text(), importedAt: text() }).nullable().describe('null before the first import'),
  matches: z.array(debtorMatch.extend({ entries: z.array(debtorEntryResponse) })),
});
