/**
 * The catalogue as a table: the columns (Chinese headers, as the public and staff read them),
 * reading an uploaded CSV or xlsx into rows of cells, and writing the exports. No database here.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { badRequest } from '../platform/errors.js';
import { isoShanghai } from '../platform/time.js';
import type { FeeMode, ServiceItem } from './model.js';

export type ColumnKey =
  | 'code'
  | 'name'
  | 'category'
  | 'basis'
  | 'timeLimitDays'
  | 'fee.mode'
  | 'fee.minFen'
  | 'fee.maxFen'
  | 'fee.basis'
  | 'qualificationRequirements'
  | 'relatedApproval'
  | 'status'
  | 'version'
  | 'publishedAt';

interface Column {
  key: ColumnKey;
  header: string;
  /** Must be present in an import file (its cells may still be empty where the field allows). */
  required: boolean;
  /** Written by the export, ignored by the import. */
  exportOnly?: boolean;
  width: number;
}

/** The order of the export; an import may order its columns freely. */
export const COLUMNS: readonly Column[] = [
  { key: 'code', header: '编码', required: true, width: 12 },
  { key: 'name', header: '名称', required: true, width: 30 },
  { key: 'category', header: '类别', required: true, width: 12 },
  { key: 'basis', header: '设定依据', required: true, width: 60 },
  { key: 'timeLimitDays', header: '服务时限（工作日）', required: true, width: 12 },
  { key: 'fee.mode', header: '收费方式', required: true, width: 12 },
  { key: 'fee.minFen', header: '收费下限（分）', required: false, width: 14 },
  { key: 'fee.maxFen', header: '收费上限（分）', required: false, width: 14 },
  { key: 'fee.basis', header: '收费依据', required: true, width: 40 },
  { key: 'qualificationRequirements', header: '资质要求', required: false, width: 40 },
  { key: 'relatedApproval', header: '对应审批事项', required: true, width: 30 },
  { key: 'status', header: '状态', required: false, width: 10 },
  { key: 'version', header: '版本', required: false, exportOnly: true, width: 8 },
  { key: 'publishedAt', header: '发布时间', required: false, exportOnly: true, width: 28 },
];

export const FEE_MODE_LABELS: Record<FeeMode, string> = {
  government: '政府定价',
  guided: '政府指导价',
  market: '市场调节价',
};

/** Headers match after NFKC (full-width brackets fold) and without spaces; English keys work too. */
const normalizeHeader = (header: string) => header.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
const HEADER_LOOKUP = new Map<string, Column>(
  COLUMNS.flatMap((column) => [
    [normalizeHeader(column.header), column],
    [normalizeHeader(column.key), column],
  ]),
);

export type Cell = string | number | null;

export interface SheetRow {
  /** The row number a spreadsheet shows: the header is row 1. */
  row: number;
  cells: Partial<Record<ColumnKey, Cell>>;
  /** Set when the CSV record has a different number of fields than the header. */
  fieldCountProblem?: string;
}

export interface Sheet {
  format: 'csv' | 'xlsx';
  rows: SheetRow[];
}

export const MAX_IMPORT_ROWS = 5000;

const malformed = (message: string) => badRequest('malformed_file', message, [{ path: 'file', message }]);

function mapHeaders(headers: Cell[]): (Column | undefined)[] {
  const seen = new Set<ColumnKey>();
  const unknown: string[] = [];
  const mapped = headers.map((header) => {
    const text = header === null ? '' : String(header).trim();
    if (!text) return undefined;
    const column = HEADER_LOOKUP.get(normalizeHeader(text));
    if (!column) {
      unknown.push(text);
      return undefined;
    }
    if (seen.has(column.key)) throw malformed(`The column ${column.header} appears twice`);
    seen.add(column.key);
    return column;
  });
  if (unknown.length > 0) {
    throw malformed(`Unknown columns: ${unknown.join(', ')}. Expected: ${COLUMNS.map((column) => column.header).join(', ')}`);
  }
  const missing = COLUMNS.filter((column) => column.required && !seen.has(column.key));
  if (missing.length > 0) throw malformed(`Missing columns: ${missing.map((column) => column.header).join(', ')}`);
  return mapped;
}

const isBlank = (cells: Cell[]) => cells.every((cell) => cell === null || String(cell).trim() === '');

/** A leading apostrophe the export added to keep a spreadsheet from evaluating a formula. */
const unguard = (value: string) => (/^'[=+@\t\r]/.test(value) ? value.slice(1) : value);

function toRows(records: Cell[][], numbers: number[], columns: (Column | undefined)[]): SheetRow[] {
  const rows: SheetRow[] = [];
  records.forEach((record, index) => {
    if (isBlank(record)) return;
    const cells: SheetRow['cells'] = {};
    columns.forEach((column, position) => {
      if (!column || column.exportOnly) return;
      const value = record[position] ?? null;
      cells[column.key] = typeof value === 'string' ? unguard(value) : value;
    });
    const row: SheetRow = { row: numbers[index]!, cells };
    const extra = record.slice(columns.length);
    if (record.length < columns.length || !isBlank(extra)) {
      row.fieldCountProblem = `has ${record.length} fields, the header has ${columns.length}`;
    }
    rows.push(row);
  });
  if (rows.length > MAX_IMPORT_ROWS) throw badRequest('too_many_rows', `An import may have at most ${MAX_IMPORT_ROWS} rows`).with({ max: MAX_IMPORT_ROWS });
  return rows;
}

/** UTF-8 (with or without BOM) as exported; Excel's "CSV" in Chinese Windows is GB18030. */
function decodeCsv(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(data);
    } catch {
      throw malformed('The file is neither UTF-8 nor GB18030 text');
    }
  }
}

function readCsv(data: Buffer): Sheet {
  const text = decodeCsv(data).replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw malformed('The file is not a CSV text file');
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw malformed(`The CSV cannot be read: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header || isBlank(header)) throw malformed('The file has no header row');
  const columns = mapHeaders(header);
  // csv-parse numbers records from 1; with the header as row 1 a record's row is its index + 2.
  return { format: 'csv', rows: toRows(body, body.map((_record, index) => index + 2), columns) };
}

function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return isoShanghai(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellValue((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

async function readXlsx(data: Buffer): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (error) {
    throw malformed(`The xlsx file cannot be read: ${(error as Error).message}`);
  }
  const worksheet = workbook.worksheets[0];
  if (!worksheet || worksheet.rowCount === 0) throw malformed('The workbook has no rows');
  const width = worksheet.columnCount;
  const read = (row: ExcelJS.Row) => Array.from({ length: width }, (_unused, index) => cellValue(row.getCell(index + 1).value));
  const header = read(worksheet.getRow(1));
  if (isBlank(header)) throw malformed('The first row of the first sheet must be the header');
  const columns = mapHeaders(header);
  const records: Cell[][] = [];
  const numbers: number[] = [];
  if (worksheet.rowCount - 1 > MAX_IMPORT_ROWS) throw badRequest('too_many_rows', `An import may have at most ${MAX_IMPORT_ROWS} rows`).with({ max: MAX_IMPORT_ROWS });
  worksheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    records.push(read(row).slice(0, columns.length));
    numbers.push(number);
  });
  return { format: 'xlsx', rows: toRows(records, numbers, columns) };
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The format is told by the content (an xlsx is a zip), not by the name or the content type. */
export async function readSheet(data: Buffer): Promise<Sheet> {
  if (data.length === 0) throw malformed('The file is empty');
  return data.subarray(0, 4).equals(ZIP_MAGIC) ? readXlsx(data) : readCsv(data);
}

function exportRecord(item: ServiceItem): (string | number)[] {
  const values: Record<ColumnKey, string | number> = {
    code: item.code,
    name: item.name,
    category: item.category,
    basis: item.basis,
    timeLimitDays: item.timeLimitDays,
    'fee.mode': FEE_MODE_LABELS[item.fee.mode],
    'fee.minFen': item.fee.minFen ?? '',
    'fee.maxFen': item.fee.maxFen ?? '',
    'fee.basis': item.fee.basis,
    qualificationRequirements: item.qualificationRequirements,
    relatedApproval: item.relatedApproval,
    status: '已发布',
    version: item.version,
    publishedAt: item.publishedAt ? isoShanghai(item.publishedAt) : '',
  };
  return COLUMNS.map((column) => values[column.key]);
}

/** A cell a spreadsheet would evaluate as a formula gets a leading apostrophe (the import drops it). */
const guard = (value: string | number) => (typeof value === 'string' && /^[=+@\t\r]/.test(value) ? `'${value}` : value);

/** UTF-8 with BOM so Excel opens the Chinese correctly; CRLF as RFC 4180 says. */
export function catalogueCsv(items: ServiceItem[]): Buffer {
  const records = [COLUMNS.map((column) => column.header), ...items.map((item) => exportRecord(item).map(guard))];
  return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows' }), 'utf8');
}

export async function catalogueXlsx(items: ServiceItem[], at: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '中介超市';
  workbook.created = at;
  workbook.modified = at;
  const sheet = workbook.addWorksheet('服务清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((column) => ({ header: column.header, key: column.key, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const item of items) sheet.addRow(exportRecord(item));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the import route accepts as a raw body (the content decides between CSV and xlsx). */
export const IMPORT_MEDIA_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel', XLSX_MEDIA_TYPE, 'application/octet-stream'];
export const IMPORT_BODY_LIMIT = '5mb';
