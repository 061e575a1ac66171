import { parse } from 'csv-parse/sync';
import { usccProblem } from '../auth/uscc.js';
import { isCalendarDate } from '../platform/time.js';
import { idNumberValid } from './schemas.js';

export interface DebtorRow {
  name: string;
  uscc: string | null;
  idNumber: string | null;
  caseNumber: string;
  court: string;
  listedOn: string;
}

export interface RowProblem {
  row: number;
  errors: string[];
}

// Header names as the courts publish them, in Chinese or English.
const COLUMNS: Record<keyof Omit<DebtorRow, 'uscc' | 'idNumber'> | 'code', string[]> = {
  name: ['name', '被执行人姓名/名称', '被执行人', '名称', '姓名'],
  code: ['uscc_or_id', 'uscc', 'code', '统一社会信用代码或身份证号', '证件号码', '身份证号码/组织机构代码'],
  caseNumber: ['case_number', '案号'],
  court: ['court', '执行法院'],
  listedOn: ['date', 'listed_on', '发布时间', '立案时间'],
};

/**
 * Parses the courts' list of dishonest judgment debtors. The code column holds either a
 * unified social credit code or a resident ID number; which one is decided by its check
 * character. Rows are reported with their line numbers; any problem rejects the whole file.
 */
export function parseDebtorCsv(text: string): { rows: DebtorRow[]; problems: RowProblem[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    return { rows: [], problems: [{ row: 0, errors: [`not a readable CSV file: ${(error as Error).message}`] }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: [{ row: 0, errors: ['the file is empty'] }] };
  const index = Object.fromEntries(
    Object.entries(COLUMNS).map(([key, names]) => [key, header.findIndex((cell) => names.includes(cell.trim().toLowerCase()) || names.includes(cell.trim()))]),
  ) as Record<keyof typeof COLUMNS, number>;
  const missing = Object.entries(index).filter(([, position]) => position < 0).map(([key]) => key);
  if (missing.length) {
    return { rows: [], problems: [{ row: 1, errors: [`missing columns: ${missing.join(', ')} (expected name, uscc_or_id, case_number, court, date)`] }] };
  }
  const rows: DebtorRow[] = [];
  const problems: RowProblem[] = [];
  body.forEach((record, i) => {
    const row = i + 2; // line 1 is the header
    const cell = (key: keyof typeof COLUMNS) => (record[index[key]] ?? '').trim();
    const errors: string[] = [];
    const code = cell('code').toUpperCase();
    const isUscc = code.length === 18 && usccProblem(code) === null;
    const isId = !isUscc && idNumberValid(code);
    if (!cell('name')) errors.push('name is empty');
    if (!isUscc && !isId) errors.push(`"${code}" is neither a valid unified social credit code nor a valid ID number`);
    if (!cell('caseNumber')) errors.push('case_number is empty');
    if (!cell('court')) errors.push('court is empty');
    if (!isCalendarDate(cell('listedOn'))) errors.push(`date "${cell('listedOn')}" is not YYYY-MM-DD`);
    if (errors.length) {
      problems.push({ row, errors });
      return;
    }
    rows.push({
      name: cell('name'),
      uscc: isUscc ? code : null,
      idNumber: isId ? code : null,
      caseNumber: cell('caseNumber'),
      court: cell('court'),
      listedOn: cell('listedOn'),
    });
  });
  if (rows.length === 0 && problems.length === 0) problems.push({ row: 0, errors: ['the file has no rows'] });
  return { rows, problems };
}
