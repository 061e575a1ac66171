/**
 * The OpenAPI fuzz test run longer: `npm run fuzz -- --runs 200 [--db pglite|postgres] [--seed N] [--verbose]`.
 * It runs test/platform/openapi-fuzz.test.ts under Jest with FUZZ_RUNS (and FUZZ_SEED) set;
 * --db postgres needs TEST_DATABASE_URL. Exit code: Jest's (1 when the fuzzer found failures).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run fuzz -- [--runs N] [--db pglite|postgres] [--seed N] [--verbose]';

function main(args: string[]): number {
  let options;
  try {
    options = parseArgs({
      args,
      options: {
        runs: { type: 'string', default: '200' },
        db: { type: 'string', default: 'pglite' },
        seed: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs must be a positive integer\n${USAGE}`);
    return 2;
  }
  if (options.db !== 'pglite' && options.db !== 'postgres') {
    console.error(`--db must be pglite or postgres\n${USAGE}`);
    return 2;
  }
  if (options.seed !== undefined && !Number.isInteger(Number(options.seed))) {
    console.error(`--seed must be an integer\n${USAGE}`);
    return 2;
  }
  if (options.db === 'postgres' && !process.env.TEST_DATABASE_URL) {
    console.error('--db postgres needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
    return 2;
  }
  // by its package.json: tsx's resolver refuses the exported subpath jest/bin/jest
  const jestPackage = createRequire(import.meta.url).resolve('jest/package.json');
  const jest = path.join(path.dirname(jestPackage), 'bin/jest.js');
  const result = spawnSync(process.execPath, [jest, '--selectProjects', options.db, 'test/platform/openapi-fuzz.test.ts'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' '),
      FUZZ_RUNS: String(runs),
      ...(options.seed !== undefined ? { FUZZ_SEED: options.seed } : {}),
      ...(options.verbose ? { FUZZ_VERBOSE: '1' } : {}),
    },
  });
  if (result.error) {
    console.error(`cannot run jest: ${result.error.message}`);
    return 2;
  }
  return result.status ?? 1;
}

process.exitCode = main(process.argv.slice(2));
