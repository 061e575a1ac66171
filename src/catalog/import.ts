import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/service.js';
import { uniqueViolation } from '../platform/db/types.js';
import { AppError, badRequest, fieldErrorsFromZod, type FieldError } from '../platform/errors.js';
import { FEE_MODES, type FeeMode } from './model.js';
import * as repository from './repository.js';
import { createServiceSchema, type CreateServiceInput } from './schemas.js';
import { insertNewItem, type CatalogDeps } from './service.js';
import { FEE_MODE_LABELS, readSheet, type Cell, type SheetRow } from './spreadsheet.js';

/** A row problem: `kind` is stable (pages translate it), `message` is for API readers. */
export interface ImportProblem extends FieldError {
  kind: 'invalid' | 'not_integer' | 'unknown_fee_mode' | 'unknown_status' | 'field_count' | 'duplicate_in_file' | 'code_exists';
  /** duplicate_in_file: the row that has the code first. */
  firstRow?: number;
}

export interface ImportRowReport {
  row: number;
  code: string | null;
  status: 'ok' | 'error';
  errors: ImportProblem[];
}

export interface ImportReport {
  imported: number;
  format: 'csv' | 'xlsx';
  rows: ImportRowReport[];
}

interface CheckedRow {
  report: ImportRowReport;
  input?: CreateServiceInput;
  publish: boolean;
}

const text = (cell: Cell | undefined) => (cell === null || cell === undefined ? '' : String(cell).trim());

/** A whole number from a cell: spreadsheets give numbers, CSV gives text; "12.5" and "1,000" are errors. */
function integerCell(cell: Cell | undefined, what: string): { value: number | null } | { error: string } {
  if (typeof cell === 'number') return Number.isSafeInteger(cell) ? { value: cell } : { error: `must be a whole number of ${what}` };
  const value = text(cell);
  if (value === '') return { value: null };
  if (!/^\d+$/.test(value)) return { error: `must be a whole number of ${what}` };
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? { value: parsed } : { error: 'is too large' };
}

const FEE_MODE_BY_TEXT = new Map<string, FeeMode>(
  FEE_MODES.flatMap((mode) => [
    [mode, mode],
    [FEE_MODE_LABELS[mode], mode],
  ]),
);

const STATUS_BY_TEXT = new Map<string, boolean>([
  ['', false],
  ['draft', false],
  ['草稿', false],
  ['published', true],
  ['发布', true],
  ['已发布', true],
]);

/** One row against the same schema the API uses, plus the cell-level problems a schema cannot see. */
function checkRow(row: SheetRow): CheckedRow {
  const cells = row.cells;
  const errors: ImportProblem[] = [];
  if (row.fieldCountProblem) errors.push({ path: '(row)', kind: 'field_count', message: row.fieldCountProblem });

  const numbers: Record<string, number | null> = {};
  for (const [path, what] of [
    ['timeLimitDays', 'working days'],
    ['fee.minFen', 'fen'],
    ['fee.maxFen', 'fen'],
  ] as const) {
    const parsed = integerCell(cells[path], what);
    if ('error' in parsed) errors.push({ path, kind: 'not_integer', message: parsed.error });
    else numbers[path] = parsed.value;
  }

  const modeText = text(cells['fee.mode']);
  const mode = FEE_MODE_BY_TEXT.get(modeText.toLowerCase()) ?? FEE_MODE_BY_TEXT.get(modeText);
  if (!mode) {
    errors.push({
      path: 'fee.mode',
      kind: modeText ? 'unknown_fee_mode' : 'invalid',
      message: modeText ? `"${modeText}" is not a fee mode: use 政府定价, 政府指导价 or 市场调节价 (government, guided, market)` : 'is required',
    });
  }
  const statusText = text(cells.status);
  const publish = STATUS_BY_TEXT.get(statusText.toLowerCase());
  if (publish === undefined) errors.push({ path: 'status', kind: 'unknown_status', message: `"${statusText}" is not a status: use 草稿 or 已发布 (draft, published)` });

  const candidate = {
    code: text(cells.code),
    name: text(cells.name),
    category: text(cells.category),
    basis: text(cells.basis),
    timeLimitDays: numbers.timeLimitDays ?? undefined,
    fee: {
      mode: mode ?? 'market',
      minFen: numbers['fee.minFen'] ?? null,
      maxFen: numbers['fee.maxFen'] ?? null,
      basis: text(cells['fee.basis']),
    },
    qualificationRequirements: text(cells.qualificationRequirements),
    relatedApproval: text(cells.relatedApproval),
  };
  const parsed = createServiceSchema.safeParse(candidate);
  if (!parsed.success) {
    // A cell already reported above is not reported twice (e.g. a non-number, or an unknown fee mode).
    const reported = new Set(errors.map((error) => error.path));
    for (const error of fieldErrorsFromZod(parsed.error)) {
      if (!reported.has(error.path)) errors.push({ ...error, kind: 'invalid' });
    }
  }
  const code = parsed.success ? parsed.data.code : candidate.code.toUpperCase() || null;
  return {
    report: { row: row.row, code, status: errors.length === 0 ? 'ok' : 'error', errors },
    ...(parsed.success && errors.length === 0 ? { input: parsed.data } : {}),
    publish: publish ?? false,
  };
}

function markDuplicatesInFile(rows: CheckedRow[]): void {
  const firstRow = new Map<string, number>();
  for (const { report } of rows) {
    if (!report.code) continue;
    const first = firstRow.get(report.code);
    if (first === undefined) firstRow.set(report.code, report.row);
    else report.errors.push({ path: 'code', kind: 'duplicate_in_file', firstRow: first, message: `duplicates the code of row ${first}` });
  }
}

function markExisting(rows: CheckedRow[], existing: Set<string>): void {
  for (const { report } of rows) {
    if (report.code && existing.has(report.code)) report.errors.push({ path: 'code', kind: 'code_exists', message: `a service item with code ${report.code} already exists` });
  }
}

export class ImportRejected extends Error {
  constructor(readonly report: ImportReport) {
    super('The import has rows with errors; nothing was imported');
  }
}

/**
 * Imports every row or none: all rows are checked first (cells, schema, codes repeated in the
 * file or already taken), and only a file without a single error is written, in one transaction.
 * A row with 状态 = 已发布 is published as version 1; any other row becomes a draft.
 */
export async function importServiceItems(deps: CatalogDeps, actor: string, file: Buffer): Promise<ImportReport> {
  const sheet = await readSheet(file);
  if (sheet.rows.length === 0) throw badRequest('empty_import', 'The file has a header but no rows', [{ path: 'file', message: 'has no rows' }]);
  const rows = sheet.rows.map(checkRow);
  markDuplicatesInFile(rows);
  const codes = rows.map((row) => row.report.code).filter((code): code is string => code !== null);
  const finish = (imported: number): ImportReport => ({
    imported,
    format: sheet.format,
    rows: rows.map(({ report }) => ({ ...report, status: report.errors.length === 0 ? 'ok' : 'error' })),
  });
  try {
    return await deps.database.transaction(async (tx) => {
      markExisting(rows, await repository.existingCodes(tx, codes));
      if (rows.some((row) => row.report.errors.length > 0)) throw new ImportRejected(finish(0));
      const fileSha256 = createHash('sha256').update(file).digest('hex');
      await appendAudit(tx, deps.clock, {
        actor,
        action: 'service_item.imported',
        entityType: 'service_import',
        entityId: fileSha256,
        data: {
          format: sheet.format,
          rows: rows.length,
          codes,
          published: rows.filter((row) => row.publish).map((row) => row.report.code),
        },
      });
      for (const row of rows) {
        await insertNewItem(tx, deps.clock, actor, row.input!, { publish: row.publish, source: 'import' });
      }
      return finish(rows.length);
    });
  } catch (error) {
    if (uniqueViolation(error)) {
      throw new AppError(409, 'code_taken', 'Another import or edit took one of these codes meanwhile; try again');
    }
    throw error;
  }
}
