import { ConfigError, loadConfig } from '../../src/platform/config.js';

describe('configuration', () => {
  it('defaults to the embedded database, port 3000 and demo data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.demoData).toBe(true);
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['REDIS_URL', 'localhost:6379'],
    ['LOG_LEVEL', 'loud'],
    ['DEMO_DATA', 'maybe'],
    ['SUBMISSION_KEY', 'abc'],
    ['BODY_LIMIT', 'huge'],
  ])('a bad %s stops start-up with a message naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      expect((error as ConfigError).message).toContain(variable);
      expect((error as ConfigError).problems[0]?.variable).toBe(variable);
    }
  });

  it('needs the admin username and password together', () => {
    expect(() => loadConfig({ ADMIN_USERNAME: 'admin' })).toThrow(/ADMIN_PASSWORD/);
  });

  it('requires a session secret in production and never loads demo data there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), PUBLIC_BASE_URL: 'https://zjcs.example.gov.cn' });
    expect(config.demoData).toBe(false);
  });

  it('switches to the server database and Bull when their URLs are set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.databaseUrl).toBe('postgres://u@h/db');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
  });
});
