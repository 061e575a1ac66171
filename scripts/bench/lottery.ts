/**
 * Draw and verification timings for lottery-v1: `npx tsx scripts/bench/lottery.ts`.
 * Each cell is the median of several runs, in milliseconds.
 */
import {
  createLotteryV1Record,
  generateServerSeed,
  NO_EXTERNAL_SOURCE,
  runLotteryV1,
  seedCommitment,
  verifyLotteryRecord,
  type LotteryCandidate,
} from '../../src/lottery/algorithm/index.js';
import { randomBytes } from 'node:crypto';

const SIZES = [100, 1_000, 10_000, 100_000];
const RUNS = 5;

function candidates(count: number, weighted: boolean): LotteryCandidate[] {
  return Array.from({ length: count }, (_, i) => ({
    uscc: `91330100MA${i.toString(36).toUpperCase().padStart(8, '0')}`,
    weight: weighted ? (i % 10) + 1 : 1,
  }));
}

function medianMs(work: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)]!;
}

const serverSeed = generateServerSeed((n) => new Uint8Array(randomBytes(n)));

// Let the JIT settle so the first row is not mostly compilation time.
for (let i = 0; i < 20; i += 1) runLotteryV1({ lotteryId: 'WARM-UP', candidates: candidates(2_000, i % 2 === 0), serverSeed, external: '', entropy: {}, winners: 1 });

const rows: string[][] = [];
for (const weighted of [false, true]) {
  for (const size of SIZES) {
    const list = candidates(size, weighted);
    const entropy = Object.fromEntries(list.filter((_, i) => i % 3 === 0).map((c) => [c.uscc, `entropy ${c.uscc}`]));
    const input = { lotteryId: `BENCH-${size}`, candidates: list, serverSeed, external: '', entropy, winners: 3 };
    const drawMs = medianMs(() => runLotteryV1(input));
    const record = createLotteryV1Record({
      ...input,
      seedCommitment: seedCommitment(serverSeed),
      commitmentPublishedAt: '2025-01-01T00:00:00Z',
      external: NO_EXTERNAL_SOURCE,
      drawnAt: '2025-02-01T00:00:00Z',
    });
    const json = JSON.stringify(record);
    let consistent = true;
    const verifyMs = medianMs(() => {
      consistent = verifyLotteryRecord(JSON.parse(json)).ok && consistent;
    });
    rows.push([weighted ? 'weighted 1–10' : 'all weights 1', size.toLocaleString('en'), drawMs.toFixed(1), verifyMs.toFixed(1), consistent ? 'yes' : 'NO']);
  }
}

const header = ['candidates', 'count', 'draw ms', 'verify ms (parse+check)', 'verified'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
const line = (cells: string[]) => cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
console.log(`lottery-v1 on Node ${process.version}, median of ${RUNS} runs`);
console.log(line(header));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const row of rows) console.log(line(row));
