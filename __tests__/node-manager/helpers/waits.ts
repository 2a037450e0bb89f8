/**
 * Waiting for what a test asserts instead of sleeping a fixed time: poll a condition until it holds
 * or a deadline passes, then fail naming what was awaited and what was last seen.
 */
import type { FakeImds } from '../../fakes/imds';

export interface UntilOptions {
  /** @default 15_000 */
  readonly timeoutMs?: number;
  /** @default 25 */
  readonly intervalMs?: number;
  /** Extra context for the failure message (recent logs, counts), computed only on failure. */
  readonly detail?: () => string;
}

/** Resolves once `check()` is true; rejects after `timeoutMs` with "timed out after … waiting for `what`". */
export async function until(check: () => boolean, what: string, options: UntilOptions = {}): Promise<void> {
  const { timeoutMs = 15_000, intervalMs = 25, detail } = options;
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Resolves once the fake IMDS has answered `path` `n` more times than now: a clock made of the
 * daemon's own polls, so "nothing happened for n polls" holds however slowly the machine runs.
 */
export async function imdsPolls(imds: FakeImds, path: string, n: number, timeoutMs = 20_000): Promise<void> {
  const target = imds.count(path) + n;
  await until(() => imds.count(path) >= target, `${n} more polls of ${path}`, {
    timeoutMs,
    detail: () => `IMDS answered ${path} ${imds.count(path)} times, wanted ${target}`,
  });
}
