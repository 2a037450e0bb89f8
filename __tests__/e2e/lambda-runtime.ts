/**
 * Runs the real bundled termination handler the way Lambda's asynchronous invoke does: each event
 * queued, run in a warm container (a child process), retried twice after an error, then dropped
 * into `failed` (the on-failure destination).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Completion {
  readonly event: unknown;
  readonly attempt: number;
  readonly ok: boolean;
  readonly result?: any;
  readonly error?: string;
  readonly at: number;
}

export class LambdaRuntime {
  readonly completions: Completion[] = [];
  readonly failed: unknown[] = [];
  private pending = 0;
  private nextId = 0;
  private readonly waiting = new Map<number, (m: { ok: boolean; result?: unknown; error?: string }) => void>();
  private idleWaiters: (() => void)[] = [];

  /** Set once the container's process is gone (and its IPC channel closed): the error every invocation then gets. */
  private gone?: string;
  private readonly closed: Promise<void>;

  private constructor(private readonly child: ChildProcess, private readonly retryDelayMs: number) {
    child.on('message', (m: any) => {
      if (m.ready) return;
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
    });
    // A container that dies mid-invocation fails that invocation, as Lambda reports it; without this
    // its reply never comes and idle() waits out its timeout.
    this.closed = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        this.gone = `Runtime.ExitError: the container exited (${signal ?? `code ${code}`})`;
        for (const settle of this.waiting.values()) settle({ ok: false, error: this.gone });
        this.waiting.clear();
        resolve();
      }),
    );
  }

  static async start(bundleFile: string, env: Record<string, string>, retryDelayMs = 200): Promise<LambdaRuntime> {
    const child = fork(join(__dirname, 'lambda-runtime-child.cjs'), [], {
      env: { PATH: process.env.PATH ?? '', HANDLER_BUNDLE: bundleFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout!.resume(); // the handler's JSON logs; not needed here
    child.stderr!.resume();
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`lambda runtime exited early (${code})`)));
    });
    return new LambdaRuntime(child, retryDelayMs);
  }

  /** Queues an event as an async invoke (returns at once, like the 202). */
  invokeAsync(event: unknown): void {
    this.pending++;
    void this.run(event, 1);
  }

  /** Resolves once every queued event finished (including retries). */
  idle(timeoutMs = 30_000): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`lambda runtime still busy after ${timeoutMs} ms`)), timeoutMs);
      this.idleWaiters.push(() => (clearTimeout(timer), resolve()));
    });
  }

  /** Ends the container; resolves once its process has exited and any invocation in flight has failed. */
  async stop(): Promise<void> {
    if (!this.gone) this.child.kill('SIGTERM');
    await this.closed;
  }

  private async run(event: unknown, attempt: number): Promise<void> {
    const id = ++this.nextId;
    const outcome = await new Promise<{ ok: boolean; result?: unknown; error?: string }>((resolve) => {
      if (this.gone) return resolve({ ok: false, error: this.gone });
      this.waiting.set(id, resolve);
      // Sent to a container that is exiting: the send fails here and the close above fails the invocation.
      this.child.send({ id, event }, () => undefined);
    });
    this.completions.push({ event, attempt, ...outcome, at: Date.now() });
    if (!outcome.ok && attempt < 3) {
      await new Promise((r) => setTimeout(r, this.retryDelayMs));
      return this.run(event, attempt + 1);
    }
    if (!outcome.ok) this.failed.push(event);
    if (--this.pending === 0) this.idleWaiters.splice(0).forEach((w) => w());
  }
}
