/**
 * Lambda's asynchronous invoke, as the wave bench needs it: each event queued; at most
 * `reservedConcurrency` run at once, each in its own warm container (a child process running the real
 * bundle, so nothing — pacer, clients — is shared between containers); a run past the timeout is killed
 * (the container dies with it); a failed event is retried after `retryDelaysMs` (Lambda: about 1 and
 * 2 minutes), then parked in `failed` (the on-failure destination). Events beyond the concurrency wait
 * in arrival order, as Lambda's internal queue holds throttled async events.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Completion as RuntimeCompletion } from '../../__tests__/e2e/lambda-runtime';

export interface PlatformOptions {
  readonly bundleFile: string;
  readonly env: Record<string, string>;
  readonly reservedConcurrency: number;
  readonly timeoutMs: number;
  /** Delay before the 2nd and the 3rd attempt. @default [60_000, 120_000] */
  readonly retryDelaysMs?: readonly number[];
}

/** One finished attempt, as the e2e runtime records it, plus when the attempt started. */
export interface Completion extends RuntimeCompletion {
  readonly startedAt: number;
}

interface Container {
  readonly child: ChildProcess;
  busy: boolean;
}

export class LambdaPlatform {
  readonly completions: Completion[] = [];
  readonly failed: unknown[] = [];
  private readonly containers: Container[] = [];
  private readonly queue: { event: unknown; attempt: number }[] = [];
  private running = 0;
  private pendingEvents = 0;
  private nextId = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: PlatformOptions) {}

  get containersStarted(): number {
    return this.containers.length;
  }

  /**
   * Starts `count` containers ahead of the first event. Forty Node cold starts at once on a small shared
   * machine take tens of seconds of CPU, which Lambda spends on separate hosts in about a second; the
   * bench warms them first so it measures the handler, not this machine. Say so where numbers are shown.
   */
  async prewarm(count: number): Promise<void> {
    const started = await Promise.all(Array.from({ length: Math.min(count, this.options.reservedConcurrency) }, () => this.spawn()));
    this.containers.push(...started);
  }

  /** Kills one container (a crash: its running invocation fails and Lambda retries it). */
  crash(pid: number): boolean {
    const container = this.containers.find((c) => c.child.pid === pid);
    return container ? container.child.kill('SIGKILL') : false;
  }

  /** Queues an event (the 202 of an async Invoke). */
  invokeAsync(event: unknown): void {
    this.pendingEvents++;
    this.queue.push({ event, attempt: 1 });
    this.dispatch();
  }

  idle(): Promise<void> {
    if (this.pendingEvents === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    for (const t of this.retryTimers) clearTimeout(t);
    for (const c of this.containers) c.child.kill('SIGKILL');
  }

  private dispatch(): void {
    while (this.queue.length && this.running < this.options.reservedConcurrency) {
      const next = this.queue.shift()!;
      this.running++;
      void this.run(next.event, next.attempt);
    }
  }

  private async container(): Promise<Container> {
    const warm = this.containers.find((c) => !c.busy && c.child.exitCode === null && !c.child.killed);
    if (warm) return warm;
    const container = await this.spawn();
    this.containers.push(container);
    return container;
  }

  private async spawn(): Promise<Container> {
    const child = fork(join(__dirname, 'container-child.cjs'), [], {
      env: { PATH: process.env.PATH ?? '', HANDLER_BUNDLE: this.options.bundleFile, ...this.options.env },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`container exited during init (${code})`)));
    });
    return { child, busy: false };
  }

  private async run(event: unknown, attempt: number): Promise<void> {
    const container = await this.container();
    if (container.busy) throw new Error('bench platform bug: a busy container was handed out');
    container.busy = true;
    const id = ++this.nextId;
    const startedAt = Date.now();
    const deadline = startedAt + this.options.timeoutMs;
    const outcome = await new Promise<{ ok: boolean; result?: unknown; error?: string }>((resolve) => {
      const onMessage = (m: any) => {
        if (m.id !== id) return;
        cleanup();
        resolve(m);
      };
      const onExit = () => {
        cleanup();
        resolve({ ok: false, error: 'container crashed' });
      };
      const timer = setTimeout(() => {
        cleanup();
        container.child.kill('SIGKILL'); // Lambda ends a timed-out run with its container
        resolve({ ok: false, error: `Task timed out after ${this.options.timeoutMs / 1000} seconds` });
      }, this.options.timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        container.child.off('message', onMessage);
        container.child.off('exit', onExit);
      };
      container.child.on('message', onMessage);
      container.child.once('exit', onExit);
      container.child.send({ id, event, deadline });
    });
    container.busy = false;
    this.running--;
    this.completions.push({ event, attempt, ...outcome, startedAt, at: Date.now() });
    const delays = this.options.retryDelaysMs ?? [60_000, 120_000];
    if (!outcome.ok && attempt <= delays.length) {
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.queue.push({ event, attempt: attempt + 1 });
        this.dispatch();
      }, delays[attempt - 1]);
      this.retryTimers.add(timer);
    } else {
      if (!outcome.ok) this.failed.push(event);
      if (--this.pendingEvents === 0) this.idleWaiters.splice(0).forEach((w) => w());
    }
    this.dispatch();
  }
}
