/**
 * Every test file runs on embedded PGlite; when TEST_DATABASE_URL is set (CI), the whole suite
 * runs a second time against the PostgreSQL server. Browser journeys run once (PGlite).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { useESM: true }] };
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/test'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
  testTimeout: 60000,
};

// `jest --selectProjects pglite test/x` swallows the path as a project name and would run the
// whole suite; treat such path-like words as the files to run.
const selectAt = process.argv.indexOf('--selectProjects');
const strayPaths = selectAt < 0 ? [] : process.argv.slice(selectAt + 1).filter((arg) => !arg.startsWith('-') && arg.includes('/'));
const only = strayPaths.length === 0 ? {} : { testMatch: strayPaths.map((p) => `<rootDir>/${p.replace(/\/$/, '')}${p.endsWith('.ts') ? '' : '/**/*.test.ts'}`) };

const projects = [
  {
    ...common,
    displayName: 'pglite',
    testMatch: ['**/*.test.ts'],
    ...only,
    testPathIgnorePatterns: ['\\.server\\.test\\.ts$'],
    setupFiles: ['<rootDir>/test/support/env-pglite.cjs'],
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...common,
    displayName: 'postgres',
    testMatch: ['**/*.test.ts'],
    ...only,
    testPathIgnorePatterns: ['/test/browser/', '/test/lottery/', '\\.pglite\\.test\\.ts$'],
    setupFiles: ['<rootDir>/test/support/env-postgres.cjs'],
  });
}

/** @type {import('jest').Config} */
export default {
  projects,
  testTimeout: 60000,
  maxWorkers: 2,
  // each test file loads the whole app and an in-memory PGlite; a worker that has grown past this
  // is replaced between files instead of slowing every later file down in garbage collection
  workerIdleMemoryLimit: '900MB',
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.cjs', {}]],
};
