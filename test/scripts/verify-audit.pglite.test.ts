import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { appendAudit } from '../../src/audit/service.js';
import { TestClock } from '../../src/platform/clock.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { asTableOwner } from '../support/database.js';

const run = promisify(execFile);

async function verifyAudit(dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('npx', ['tsx', 'scripts/verify-audit.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', NODE_OPTIONS: '' },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  }
}

describe('scripts/verify-audit', () => {
  it('says OK for an intact chain and names the first broken seq after tampering', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'zjcs-audit-'));
    try {
      const database = await openPgliteDatabase(path.join(dataDir, 'pglite'));
      await database.migrate();
      const clock = new TestClock();
      for (let i = 1; i <= 4; i += 1) {
        await database.transaction((tx) =>
          appendAudit(tx, clock, { actor: 'user:1', action: 'x', entityType: 'project', entityId: i, data: { i } }),
        );
      }
      await database.close();

      const intact = await verifyAudit(dataDir);
      expect(intact).toMatchObject({ code: 0 });
      expect(intact.out).toContain('OK: 4 events');

      const tamper = await openPgliteDatabase(path.join(dataDir, 'pglite'));
      const execute = (statement: string) => tamper.db.execute(statement);
      await asTableOwner(execute, ['audit_events'], () => execute(`update audit_events set actor = 'user:2' where seq = 2`));
      await tamper.close();

      const broken = await verifyAudit(dataDir);
      expect(broken.code).toBe(1);
      expect(broken.out).toContain('BROKEN at seq 2');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
