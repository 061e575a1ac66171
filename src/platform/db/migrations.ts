import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_FOLDER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../drizzle',
);

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

/** The `when` stamp of the newest migration kept in the repository. */
export function latestMigrationStamp(): number {
  const journal = JSON.parse(
    readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as Journal;
  return Math.max(0, ...journal.entries.map((entry) => entry.when));
}
