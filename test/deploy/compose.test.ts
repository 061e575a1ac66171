import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

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
});
