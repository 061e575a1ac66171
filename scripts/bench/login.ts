/**
 * Logins per second over HTTP (argon2id verification included) and the hash time alone.
 *   npx tsx scripts/bench/login.ts [seconds=5] [concurrency=8]
 * Ceiling, measured in the same run: the same HTTP loop against GET /healthz (no hashing), so
 * the ratio shows what password hashing costs.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.js';
import { createStaffUser } from '../../src/auth/service.js';
import { registerDomains } from '../../src/domains.js';
import { createPlatform, closePlatform } from '../../src/platform/bootstrap.js';
import { loadConfig } from '../../src/platform/config.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { ed25519FromSeed } from '../../src/platform/ed25519.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 8);

const samples: number[] = [];
const hash = await hashPassword('Bench-password-2026', 'standard');
for (let i = 0; i < 10; i += 1) {
  const started = performance.now();
  await verifyPassword(hash, 'Bench-password-2026');
  samples.push(performance.now() - started);
}
samples.sort((a, b) => a - b);

const config = loadConfig({ LOG_LEVEL: 'silent', DEMO_DATA: 'off', SESSION_SECRET: 'x'.repeat(32), LOGIN_MAX_FAILURES: '100' });
const database = await openPgliteDatabase();
const deps = await createPlatform(config, { database, submissionKey: { key: randomBytes(32), source: 'generated' }, auditSigningKey: { key: ed25519FromSeed(randomBytes(32)), source: 'generated' } });
registerDomains(deps);
await createStaffUser(deps, 'system:bench', { username: 'bench-user', password: 'Bench-password-2026', role: 'staff' });
const server = createApp(deps).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function requestsPerSecond(send: () => Promise<Response>): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let count = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const response = await send();
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`status ${response.status}`);
        count += 1;
      }
    }),
  );
  return count / ((Date.now() - started) / 1000);
}

const logins = await requestsPerSecond(() =>
  fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-user', password: 'Bench-password-2026' }),
  }),
);
const ceiling = await requestsPerSecond(() => fetch(`${base}/healthz`));
server.close();
await closePlatform(deps);

console.table([
  { measure: 'argon2id verify (m=19456, t=2), median ms', value: samples[5]!.toFixed(1) },
  { measure: `logins/s over HTTP (PGlite, ${concurrency} clients)`, value: Math.round(logins) },
  { measure: `ceiling: GET /healthz req/s (same loop)`, value: Math.round(ceiling) },
  { measure: 'ratio', value: (logins / ceiling).toFixed(3) },
]);
