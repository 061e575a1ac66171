/** The comparison table as CSV (UTF-8 with BOM) and xlsx, Chinese headers, formula under the table. */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { ComparisonTable } from './table.js';

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function headers(table: ComparisonTable): string[] {
  const { weights } = table;
  return [
    '排名', '中介机构', '统一社会信用代码', '报价（元）', '承诺工期（工作日）', '信用分（开标时）', '信用等级',
    `价格得分（${weights.price}）`, `工期得分（${weights.time}）`, `信用得分（${weights.credit}）`, `方案得分（${weights.plan}）`,
    '总分', '结果', '方案评分理由',
  ];
}

function records(table: ComparisonTable): string[][] {
  return table.rows.map((row) => [
    row.rank === null ? '' : String(row.rank),
    row.name,
    row.uscc,
    yuan(row.amountFen),
    String(row.promisedDays),
    row.credit.score,
    row.credit.grade,
    row.scores.price,
    row.scores.time,
    row.scores.credit,
    row.scores.plan ?? '',
    row.total ?? '',
    row.rank === null ? '待评审' : row.winner ? '中选' : '候补',
    row.justification ?? '',
  ]);
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (names and reasons are free text). */
const guard = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function comparisonCsv(table: ComparisonTable): Buffer {
  const lines = [headers(table), ...records(table).map((record) => record.map(guard)), [], ['计分方法'], ...table.formula.map((line) => [guard(line)])];
  return Buffer.from(stringify(lines, { bom: true, record_delimiter: 'windows' }), 'utf8');
}

export async function comparisonXlsx(table: ComparisonTable, at: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '中介超市';
  workbook.created = at;
  workbook.modified = at;
  const sheet = workbook.addWorksheet('比选对照表', { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths = [6, 30, 22, 14, 12, 12, 8, 12, 12, 12, 12, 10, 8, 50];
  sheet.columns = headers(table).map((header, index) => ({ header, width: widths[index] }));
  sheet.getRow(1).font = { bold: true };
  for (const record of records(table)) sheet.addRow(record);
  sheet.addRow([]);
  sheet.addRow(['计分方法']).font = { bold: true };
  for (const line of table.formula) sheet.addRow([line]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
