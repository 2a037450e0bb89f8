/**
 * Runs the real node-manager as a child process (tsx on the sources, or `node` on an esbuild
 * bundle) and reads its JSON log lines, so tests can wait for what it says it did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { nodeManagerBundle } from '../../support/node-manager-bundle';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const DAEMON_ENTRY = join(REPO_ROOT, 'images', 'node-manager', 'src', 'main.ts');

export type LogLine = Record<string, unknown> & { level: string; msg: string };

/** Dummy credentials and fast settings: the SDK signs requests to the fake endpoints with these. */
export function testEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_REGION: 'eu-west-1',
    TERMINATION_FUNCTION_NAME: 'spot-ready-termination',
    POLL_INTERVAL_MS: '100',
    IMDS_TIMEOUT_MS: '300',
    DRAIN_ENABLED: 'false',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    ...overrides,
  };
}

export class DaemonProcess {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    let buffered = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) this.logs.push(JSON.parse(line) as LogLine);
      for (const listener of [...this.listeners]) listener();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Spawns `node [nodeArgs] <bundle>`: by default the bundle the image ships (main.js + drain.js,
   * built once per run by the global setup), which starts in a fraction of tsx's time.
   */
  static spawn(env: NodeJS.ProcessEnv, bundle: string = nodeManagerBundle(), nodeArgs: readonly string[] = []): DaemonProcess {
    return new DaemonProcess(spawn(process.execPath, [...nodeArgs, bundle], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** Spawns the sources as `npm run node-manager` does: `node --import tsx main.ts`. */
  static spawnFromSource(env: NodeJS.ProcessEnv): DaemonProcess {
    return new DaemonProcess(spawn(process.execPath, ['--import', 'tsx', DAEMON_ENTRY], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** Resolves with the first log line matching `predicate` (already logged or still to come). */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 15_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.logs.find(predicate);
        if (!line) return;
        cleanup();
        resolve(line);
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.logs.slice(-8).map((l) => JSON.stringify(l)).join('\n');
        reject(new Error(`log line not seen within ${timeoutMs} ms. Last logs:\n${recent}\nstderr: ${this.stderr.slice(-800)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The port of /healthz and /metrics, once the daemon says it started. */
  async httpPort(): Promise<number> {
    const line = await this.waitForLog((l) => l.msg === 'node-manager started');
    return line.httpPort as number;
  }

  /** SIGTERM, then the exit code (SIGKILL after `timeoutMs` so a test never leaks a process). */
  async stop(timeoutMs = 5_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
