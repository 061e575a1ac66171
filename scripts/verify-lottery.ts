/**
 * Offline check of a public draw record: `npm run verify-lottery -- record.json`.
 * Exit 0: consistent; 1: the record does not verify (first mismatch printed); 2: usage or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { verifyLotteryRecord, type LotteryRecord, type Mismatch } from '../src/lottery/algorithm/index.js';

function describeMismatch(mismatch: Mismatch): string {
  const where = [mismatch.field && `field ${mismatch.field}`, mismatch.position !== undefined && `position ${mismatch.position}`]
    .filter(Boolean)
    .join(', ');
  const lines = [`mismatch (${mismatch.check})${where ? ` at ${where}` : ''}: ${mismatch.message}`];
  if (mismatch.expected !== null || mismatch.actual !== null) {
    lines.push(`  expected: ${String(mismatch.expected)}`, `  actual:   ${String(mismatch.actual)}`);
  }
  return lines.join('\n');
}

function main(args: readonly string[]): number {
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    console.error('usage: npm run verify-lottery -- <record.json>');
    return 2;
  }
  const file = args[0]!;
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const result = verifyLotteryRecord(record);
  if (!result.ok) {
    console.log(describeMismatch(result.mismatch));
    return 1;
  }
  const verified = record as LotteryRecord;
  console.log(`consistent: ${verified.order.join(' ')}`);
  console.log(`winners (${verified.algorithm}): ${verified.winners.join(' ')}`);
  if (verified.algorithm === 'lottery-v1' && verified.weakSource) {
    console.log('note: no external randomness source was declared, so this draw is weaker');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
