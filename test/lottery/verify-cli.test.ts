import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { clone, drandRecord, rfc3797ExampleRecord } from './support/records.js';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function verifyLotteryCli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/verify-lottery.ts', ...args], { cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('scripts/verify-lottery', () => {
  let dir: string;
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'verify-lottery-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the order and exits 0 for an honest record', async () => {
    const record = drandRecord();
    const result = await verifyLotteryCli(write('good.json', record));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`consistent: ${record.order.join(' ')}`);
  });

  it('verifies an rfc3797 record too', async () => {
    const result = await verifyLotteryCli(write('rfc3797.json', rfc3797ExampleRecord()));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^consistent: 17 07 02 16 25 /);
  });

  it('prints the first mismatch and exits 1 for a tampered record', async () => {
    const record = clone(drandRecord());
    [record.order[0], record.order[1]] = [record.order[1]!, record.order[0]!];
    const result = await verifyLotteryCli(write('tampered.json', record));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('mismatch (order) at field order.0, position 0');
  });

  it('exits 2 when the file is missing, not JSON, or no file is given', async () => {
    expect((await verifyLotteryCli(path.join(dir, 'missing.json'))).code).toBe(2);
    expect((await verifyLotteryCli(write('broken.json', '{"algorithm": '))).code).toBe(2);
    const usage = await verifyLotteryCli();
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage');
  });
});
