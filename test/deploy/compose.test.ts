import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { loadAuditSigningKey, loadSubmissionKey } from '../../src/platform/secrets.js';

/** What an operator would set for each `${NAME:?…}` the compose file demands. */
const OPERATOR_VALUES: Record<string, string> = {
  SESSION_SECRET: 's'.repeat(40),
  SUBMISSION_KEY: 'a'.repeat(64),
  AUDIT_SIGNING_KEY: 'b'.repeat(64),
  ADMIN_PASSWORD: 'Compose-admin-2026',
  PUBLIC_BASE_URL: 'https://zjcs.yantai.gov.cn',
};

/** Compose's interpolation of `${NAME:?message}` and `${NAME:-default}`. */
const interpolate = (value: string, given: Record<string, string>) =>
  value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (given[name] !== undefined) return given[name]!;
    if (kind === '-') return rest ?? '';
    throw new Error(`compose stops: ${name} ${rest ?? ''}`);
  });

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; command?: string[]; build?: string; image?: string }>;
  };

  it('names the services the README promises', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'redis', 'web', 'worker']);
  });

  it('points web and worker at the server database and Redis', () => {
    for (const name of ['web', 'worker']) {
      const environment = compose.services[name]!.environment!;
      expect(environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(environment.REDIS_URL).toBe('redis://redis:6379');
      expect(environment.NODE_ENV).toBe('production');
      expect(environment.PUBLIC_BASE_URL).toMatch(/^\$\{PUBLIC_BASE_URL:\?/);
    }
    expect(compose.services.web!.environment!.RUN_JOBS_IN_WEB).toBe('off');
    expect(compose.services.worker!.command).toContain('src/worker.ts');
  });

  it('builds from the Dockerfile in the repository', () => {
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^FROM node:20/m);
    expect(compose.services.web!.build).toBe('.');
  });

  it('demands every key the server configuration requires, and start-up accepts what it interpolates', () => {
    for (const name of ['web', 'worker']) {
      const raw = compose.services[name]!.environment!;
      for (const key of ['SUBMISSION_KEY', 'AUDIT_SIGNING_KEY']) expect(raw[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
      const environment = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), OPERATOR_VALUES)]));
      const config = loadConfig(environment);
      expect(loadSubmissionKey(config).source).toBe('environment');
      expect(loadAuditSigningKey(config).source).toBe('environment');
      const { AUDIT_SIGNING_KEY: _omitted, ...withoutKey } = OPERATOR_VALUES;
      expect(() => interpolate(String(raw.AUDIT_SIGNING_KEY), withoutKey)).toThrow(/AUDIT_SIGNING_KEY/);
      expect(() => loadAuditSigningKey(loadConfig({ ...environment, AUDIT_SIGNING_KEY: undefined }))).toThrow(ConfigError);
    }
  });
});
