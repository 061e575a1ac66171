/**
 * The web process under test, run as a child exactly as `npm start` runs it (node with the tsx
 * loader on src/main.ts; not through npx, whose wrapper would survive a kill -9 of itself and
 * leave the app running). Every exit we did not ask for is recorded with the process's last
 * output lines, so a crash shows its reason.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const TAIL_LINES = 80;

export interface UnexpectedExit {
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whether it had answered /readyz: an exit before that is a failed start. */
  wasReady: boolean;
  /** The last output lines, stack frames left out. */
  tail: string[];
}

/** What the process said as it died: its last lines that are neither JSON log records nor empty error fields. */
export function dyingWords(exit: UnexpectedExit, lines = 20): string[] {
  const plain = exit.tail.filter((line) => !line.startsWith('{') && !/^\s+\w+: undefined,?$/.test(line));
  return (plain.length ? plain : exit.tail).slice(-lines);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A TCP port nobody listens on at the moment, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class AppProcess {
  readonly baseUrl: string;
  readonly unexpectedExits: UnexpectedExit[] = [];
  starts = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private tail: string[] = [];
  private ready = false;
  private expectingExit = false;

  /** `onUnexpectedExit` runs after each exit we did not cause (db-restart restarts from it). */
  constructor(private readonly env: Record<string, string>, readonly port: number, private readonly onUnexpectedExit?: (exit: UnexpectedExit) => void) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (this.child) throw new Error('the app is already running');
    this.starts += 1;
    this.ready = false;
    this.expectingExit = false;
    this.tail = [];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...this.env, HOST: '127.0.0.1', PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() && !/^\s+at /.test(line)));
      this.tail.splice(0, Math.max(0, this.tail.length - TAIL_LINES));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.child = undefined;
        if (!this.expectingExit) {
          const exit = { at: Date.now(), code, signal, wasReady: this.ready, tail: [...this.tail] };
          this.unexpectedExits.push(exit);
          this.onUnexpectedExit?.(exit);
        }
        resolve();
      });
    });
  }

  /** Polls /readyz until it answers 200; false when this process exits or time runs out first. */
  async waitReady(timeoutMs = 60_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    const child = this.child;
    while (child && this.child === child && Date.now() < until) {
      try {
        const response = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) {
          this.ready = true;
          return true;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    return false;
  }

  /** kill -9, as a power cut or the OOM killer would. */
  async kill9(): Promise<void> {
    if (!this.child) return;
    this.expectingExit = true;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (the app's graceful shutdown), then SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (!this.child) return;
    this.expectingExit = true;
    const child = this.child;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Synchronous last resort for process exit handlers. */
  killNow(): void {
    this.expectingExit = true;
    this.child?.kill('SIGKILL');
  }
}
