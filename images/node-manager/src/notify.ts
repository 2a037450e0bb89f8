/**
 * Delivers notices to the termination Lambda with an asynchronous Invoke (InvocationType 'Event':
 * Lambda answers 202 once queued and runs the function apart from us). Only a 202 ends a notice's
 * delivery. Within one round, failures that can pass (throttling, 5xx, network) are retried with
 * backoff until the notice's deadline; a round that ends without a 202 — a 403 while Pod Identity
 * credentials rotate, a deadline passed — is started again by a later poll that still sees the
 * signal in IMDS (no EventBridge backup exists for scheduled maintenance or ASG notices), spaced
 * by a growing pause. The SDK's own retries are off (maxAttempts 1) so one policy decides.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { noticeKey, type InterruptionNotice } from '../../../contract/interruption-notice';
import { REDELIVERY_MAX_PAUSE_MS, REDELIVERY_PAUSE_MS } from '../../../contract/redelivery';
import type { Logger } from './logger';
import type { DaemonMetrics } from './metrics';
import { retryUntil } from './retry';

export interface NotifierOptions {
  readonly functionName: string;
  /** A region, or a function that finds it (IMDS placement/region). */
  readonly region: string | (() => Promise<string>);
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** First pause before a failed notice is delivered again by a later poll; doubles per round (REDELIVERY_PAUSE_MS). @default 1000 */
  readonly redeliverBaseMs?: number;
  /** Longest pause between rounds (REDELIVERY_MAX_PAUSE_MS). @default 30000 */
  readonly redeliverMaxMs?: number;
}

/** Where a notice's delivery stands. */
type Delivery =
  | { readonly state: 'sending'; readonly done: Promise<boolean> }
  | { readonly state: 'accepted'; readonly done: Promise<boolean> }
  | { readonly state: 'failed'; readonly done: Promise<boolean>; readonly rounds: number; readonly retryAt: number };

/** Throttling, server faults and network errors may pass; a 4xx such as AccessDenied will not. */
export function isRetryableInvokeError(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return true; // no HTTP answer: connection refused, reset, timeout
  if (status === 429 || status >= 500 || e.$retryable) return true;
  return /Throttl|TooManyRequests|EC2ThrottledException|ResourceConflict/.test(e.name ?? '');
}

/** Lambda answered, but not with the 202 of a queued asynchronous invoke. */
export class UnacceptedInvokeError extends Error {
  constructor(readonly statusCode: number | undefined) {
    super(`Invoke answered ${statusCode ?? 'no status'}, not 202`);
    this.name = 'UnacceptedInvokeError';
  }
}

/**
 * A notice's delivery is tracked by its key; a `cancel` shares its key with the notice it cancels
 * (that is how the Lambda finds what to undo), so it is delivered as a delivery of its own.
 */
export function deliveryKey(notice: InterruptionNotice): string {
  return notice.action === 'cancel' ? `${noticeKey(notice)}#cancel` : noticeKey(notice);
}

export class Notifier {
  private readonly client: LambdaClient;
  private readonly deliveries = new Map<string, Delivery>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: NotifierOptions) {
    this.client = new LambdaClient({
      region: options.region,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    });
  }

  /**
   * Called on every poll that sees `notice`: starts a delivery round unless one is running, Lambda
   * already accepted the notice, or the pause after a failed round has not passed. Resolves true
   * once Lambda accepted it (this round or an earlier one).
   */
  deliver(notice: InterruptionNotice, deadline: number): Promise<boolean> {
    const key = deliveryKey(notice);
    const current = this.deliveries.get(key);
    if (current && (current.state !== 'failed' || Date.now() < current.retryAt)) return current.done;
    const rounds = current?.state === 'failed' ? current.rounds + 1 : 1;
    const done = this.send(key, notice, deadline, rounds).then((accepted) => {
      const base = this.options.redeliverBaseMs ?? REDELIVERY_PAUSE_MS.default;
      const pause = Math.min(this.options.redeliverMaxMs ?? REDELIVERY_MAX_PAUSE_MS.default, base * 2 ** (rounds - 1));
      // A daemon lives as long as its instance: a handful of keys, so the map needs no eviction.
      this.deliveries.set(key, accepted ? { state: 'accepted', done } : { state: 'failed', done, rounds, retryAt: Date.now() + pause });
      return accepted;
    });
    this.deliveries.set(key, { state: 'sending', done });
    return done;
  }

  /** Waits for every delivery round in progress (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.deliveries.values()].map((d) => d.done));
  }

  /** Abandons retries in progress; the daemon is being stopped. */
  close(): void {
    this.stopping.abort();
    this.client.destroy();
  }

  private async send(key: string, notice: InterruptionNotice, deadline: number, round: number): Promise<boolean> {
    const { logger, metrics } = this.options;
    const log = logger.child({ noticeKey: key, signal: notice.signal, action: notice.action, round });
    const payload = new TextEncoder().encode(JSON.stringify(notice));
    const outcome = await retryUntil(
      async () => {
        try {
          const out = await this.client.send(
            new InvokeCommand({ FunctionName: this.options.functionName, InvocationType: 'Event', Payload: payload }),
            { abortSignal: this.stopping.signal },
          );
          if (out.StatusCode !== 202) throw new UnacceptedInvokeError(out.StatusCode);
          metrics.invokes.inc({ result: 'sent' });
          return out.StatusCode;
        } catch (err) {
          metrics.invokes.inc({ result: 'failed' });
          throw err;
        }
      },
      {
        // A round after the deadline (IMDS still shows the signal) makes one attempt.
        deadline: Math.max(deadline, Date.now()),
        baseDelayMs: this.options.baseDelayMs ?? 250,
        maxDelayMs: this.options.maxDelayMs ?? 10_000,
        isRetryable: isRetryableInvokeError,
        signal: this.stopping.signal,
        onRetry: (err, attempt, delayMs) => log.warn('invoke failed, retrying', { err, attempt, delayMs }),
      },
    );
    if (outcome.ok) {
      log.info('notice delivered to the termination Lambda', { statusCode: outcome.value, attempts: outcome.attempts });
      return true;
    }
    if (outcome.reason !== 'stopped') metrics.noticesUndelivered.inc();
    log.error('notice not delivered; a later poll that still sees the signal tries again', {
      err: outcome.error,
      attempts: outcome.attempts,
      reason: outcome.reason,
    });
    return false;
  }
}
