import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findUserByUsername } from '../../src/auth/repository.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';

const run = promisify(execFile);

async function createUser(dataDir: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/create-user.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', NODE_OPTIONS: '', NODE_ENV: 'development' },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe('npm run create-user', () => {
  it('creates a staff account from the shell and refuses bad input', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'zjcs-cli-'));
    try {
      const created = await createUser(dataDir, ['--role', 'staff', '--username', 'officer-li', '--password', 'Officer-password-1', '--name', '李科员']);
      expect(created).toMatchObject({ code: 0 });
      expect(created.out).toContain('created staff officer-li');

      const duplicate = await createUser(dataDir, ['--role', 'staff', '--username', 'officer-li', '--password', 'Officer-password-1']);
      expect(duplicate.code).toBe(1);
      expect(duplicate.out).toContain('already taken');

      const weak = await createUser(dataDir, ['--role', 'owner', '--username', 'x1', '--password', '123']);
      expect(weak.code).toBe(2);
      expect(weak.out).toContain('--role');

      const database = await openPgliteDatabase(path.join(dataDir, 'pglite'));
      const user = await findUserByUsername(database.db, 'officer-li');
      expect(user).toMatchObject({ role: 'staff', displayName: '李科员' });
      expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
      await database.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
