/**
 * Catalogue search over HTTP on 5,000 published items: requests per second and p95 latency of
 * GET /api/v1/services?q=<two Chinese characters>, on PGlite (in memory) and on the PostgreSQL
 * server when one is reachable (a scratch database).
 *   npx tsx scripts/bench/catalogue.ts [seconds=5] [concurrency=8]
 * The items are seeded through the real import (one CSV of 5,000 rows, one transaction), so the
 * import time is printed too. Ceiling, measured in the same run: the same HTTP loop against
 * GET /healthz (no database), so the ratio shows what the search itself costs.
 */
import type { AddressInfo } from 'node:net';
import { stringify } from 'csv-stringify/sync';
import { createApp } from '../../src/app.js';
import { DEMO_SERVICES } from '../../src/catalog/demo.js';
import { importServiceItems } from '../../src/catalog/import.js';
import { FEE_MODE_LABELS } from '../../src/catalog/spreadsheet.js';
import { registerDomains } from '../../src/domains.js';
import { closePlatform, createPlatform } from '../../src/platform/bootstrap.js';
import { loadConfig } from '../../src/platform/config.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import type { Database } from '../../src/platform/db/index.js';
import { printTable, scratchDatabase } from './support.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 8);
const ITEMS = 5000;

const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区', '富阳区', '临安区', '桐庐县', '淳安县', '建德市'];
const PHASES = ['一期', '二期', '三期', '改扩建', '配套工程', '专项'];

/** 5,000 plausible items: the demo catalogue's service types across districts and project phases. */
function seedCsv(): string {
  const header = ['编码', '名称', '类别', '设定依据', '服务时限（工作日）', '收费方式', '收费下限（分）', '收费上限（分）', '收费依据', '资质要求', '对应审批事项', '状态'];
  const rows = Array.from({ length: ITEMS }, (_unused, index) => {
    const base = DEMO_SERVICES[index % DEMO_SERVICES.length]!;
    const district = DISTRICTS[Math.floor(index / DEMO_SERVICES.length) % DISTRICTS.length]!;
    const phase = PHASES[Math.floor(index / (DEMO_SERVICES.length * DISTRICTS.length)) % PHASES.length]!;
    return [
      `BN-${String(index + 1).padStart(5, '0')}`,
      `${district}${base.name}（${phase}）`,
      base.category,
      base.basis,
      base.timeLimitDays,
      FEE_MODE_LABELS[base.fee.mode],
      base.fee.minFen ?? '',
      base.fee.maxFen ?? '',
      base.fee.basis,
      base.qualificationRequirements,
      base.relatedApproval,
      '已发布',
    ];
  });
  return stringify([header, ...rows], { bom: true });
}

interface LoopResult {
  perSecond: number;
  p95: number;
  requests: number;
}

async function loop(url: () => string): Promise<LoopResult> {
  const until = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const begin = performance.now();
        const response = await fetch(url());
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`status ${response.status}`);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    perSecond: latencies.length / ((Date.now() - started) / 1000),
    p95: latencies[Math.floor(latencies.length * 0.95)] ?? Number.NaN,
    requests: latencies.length,
  };
}

const QUERIES = ['压覆', '测绘', '水土', '审批'];

async function measure(label: string, database: Database): Promise<Record<string, string | number>[]> {
  const config = loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'off', SESSION_SECRET: 'x'.repeat(32) });
  const deps = await createPlatform(config, { database });
  registerDomains(deps);
  const importStarted = performance.now();
  const report = await importServiceItems(deps, 'system:bench', Buffer.from(seedCsv(), 'utf8'));
  const importSeconds = (performance.now() - importStarted) / 1000;
  const server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const matches: string[] = [];
  for (const q of QUERIES) {
    const response = await fetch(`${base}/api/v1/services?q=${encodeURIComponent(q)}`);
    matches.push(`${q} ${((await response.json()) as { total: number }).total}`);
  }
  let turn = 0;
  const search = await loop(() => `${base}/api/v1/services?q=${encodeURIComponent(QUERIES[turn++ % QUERIES.length]!)}`);
  const ceiling = await loop(() => `${base}/healthz`);
  await new Promise((resolve) => server.close(resolve));
  await closePlatform(deps);
  console.log(`${label}: imported ${report.imported} rows in ${importSeconds.toFixed(1)} s (one transaction); matches per query: ${matches.join(', ')}`);
  return [
    { database: label, measure: `search ?q=<2 chars> (${concurrency} clients)`, 'req/s': Math.round(search.perSecond), 'p95 ms': search.p95.toFixed(1), requests: search.requests },
    { database: label, measure: 'ceiling: GET /healthz (same loop)', 'req/s': Math.round(ceiling.perSecond), 'p95 ms': ceiling.p95.toFixed(1), requests: ceiling.requests },
    { database: label, measure: 'ratio search / ceiling', 'req/s': (search.perSecond / ceiling.perSecond).toFixed(3), 'p95 ms': '-', requests: '-' },
  ];
}

const rows = await measure('PGlite (in memory)', await openPgliteDatabase());

let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
try {
  scratch = await scratchDatabase('zjcs_bench_catalogue');
} catch (error) {
  console.log(`PostgreSQL server not reachable, skipped: ${(error as Error).message}`);
}
if (scratch) {
  try {
    rows.push(...(await measure('PostgreSQL server', await openPostgresDatabase({ url: scratch.url, poolSize: 16 }))));
  } finally {
    await scratch.drop();
  }
}
printTable(rows);
console.log(`${ITEMS} published items; queries rotate over ${QUERIES.join(' ')}; ${seconds} s per loop.`);
