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

const projects = [
  {
    ...common,
    displayName: 'pglite',
    testMatch: ['**/*.test.ts'],
    testPathIgnorePatterns: ['\\.server\\.test\\.ts$'],
    setupFiles: ['<rootDir>/test/support/env-pglite.cjs'],
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...common,
    displayName: 'postgres',
    testMatch: ['**/*.test.ts'],
    testPathIgnorePatterns: ['/test/browser/', '/test/lottery/', '\\.pglite\\.test\\.ts$'],
    setupFiles: ['<rootDir>/test/support/env-postgres.cjs'],
  });
}

/** @type {import('jest').Config} */
export default {
  projects,
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', ['<rootDir>/test/support/summary-reporter.cjs', {}]],
};
