/**
 * Exponential backoff with full jitter, bounded by a deadline and a stop signal — shared by the
 * Lambda invoke (throttling, 5xx) and pod evictions (PDB 429).
 */
export interface RetryOptions {
  /** Epoch ms after which no new attempt starts. */
  readonly deadline: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Whether an error is worth another attempt; others end the loop at once. */
  readonly isRetryable: (err: unknown) => boolean;
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly error: unknown; readonly attempts: number; readonly reason: 'deadline' | 'fatal' | 'stopped' };

export async function retryUntil<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<RetryOutcome<T>> {
  const now = options.now ?? Date.now;
  for (let attempts = 1; ; attempts++) {
    try {
      return { ok: true, value: await attempt(), attempts };
    } catch (error) {
      if (options.signal?.aborted) return { ok: false, error, attempts, reason: 'stopped' };
      if (!options.isRetryable(error)) return { ok: false, error, attempts, reason: 'fatal' };
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempts - 1));
      const delayMs = Math.max(1, Math.round(Math.random() * ceiling));
      if (now() + delayMs > options.deadline) return { ok: false, error, attempts, reason: 'deadline' };
      options.onRetry?.(error, attempts, delayMs);
      if (!(await sleep(delayMs, options.signal))) return { ok: false, error, attempts, reason: 'stopped' };
    }
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
