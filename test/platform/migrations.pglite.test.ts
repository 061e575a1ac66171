import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { SerialQueue } from '../../src/platform/db/serial-queue.js';

describe('embedded PGlite', () => {
  it('starts empty with migrations pending, migrates, and reopens the same data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zjcs-pglite-'));
    try {
      const first = await openPgliteDatabase(dir);
      expect(await first.migrationsCurrent()).toBe(false);
      await first.migrate();
      expect(await first.migrationsCurrent()).toBe(true);
      await first.db.execute("insert into app_meta (key, value, updated_at) values ('k', '1', now())");
      await first.close();

      const second = await openPgliteDatabase(dir);
      expect(await second.migrationsCurrent()).toBe(true);
      const result = (await second.db.execute('select key from app_meta')) as unknown as { rows: { key: string }[] };
      expect(result.rows).toEqual([{ key: 'k' }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs queued transactions one at a time, in order, past failures', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let inside = 0;
    const task = (name: string, fail = false) =>
      queue.run(async () => {
        inside += 1;
        expect(inside).toBe(1);
        log.push(`start ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`end ${name}`);
        inside -= 1;
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
