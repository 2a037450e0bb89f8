/**
 * Delivers notices to the termination Lambda with an asynchronous Invoke (InvocationType 'Event':
 * Lambda answers 202 once queued and runs the function apart from us). Each notice key is invoked
 * until one call succeeds; failures that can pass (throttling, 5xx, network) are retried with
 * backoff until the notice's deadline. The SDK's own retries are off (maxAttempts 1) so one
 * deadline-aware policy decides.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { noticeKey, type InterruptionNotice } from '../../../contract/interruption-notice';
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
}

/** Throttling, server faults and network errors may pass; a 4xx such as AccessDenied will not. */
export function isRetryableInvokeError(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return true; // no HTTP answer: connection refused, reset, timeout
  if (status === 429 || status >= 500 || e.$retryable) return true;
  return /Throttl|TooManyRequests|EC2ThrottledException|ResourceConflict/.test(e.name ?? '');
}

export class Notifier {
  private readonly client: LambdaClient;
  private readonly delivered = new Map<string, Promise<boolean>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: NotifierOptions) {
    this.client = new LambdaClient({
      region: options.region,
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    });
  }

  /**
   * Starts delivering `notice` unless its key was already handed over; resolves true once Lambda
   * accepted it. Calling it again with the same key returns the first delivery's promise.
   */
  deliver(notice: InterruptionNotice, deadline: number): Promise<boolean> {
    const key = noticeKey(notice);
    let delivery = this.delivered.get(key);
    if (!delivery) {
      delivery = this.send(key, notice, deadline);
      // A daemon lives as long as its instance: a handful of keys, so the map needs no eviction.
      this.delivered.set(key, delivery);
    }
    return delivery;
  }

  /** Waits for every delivery in progress (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all(this.delivered.values());
  }

  /** Abandons retries in progress; the daemon is being stopped. */
  close(): void {
    this.stopping.abort();
    this.client.destroy();
  }

  private async send(key: string, notice: InterruptionNotice, deadline: number): Promise<boolean> {
    const { logger, metrics } = this.options;
    const log = logger.child({ noticeKey: key, signal: notice.signal, action: notice.action });
    const payload = new TextEncoder().encode(JSON.stringify(notice));
    const outcome = await retryUntil(
      async () => {
        try {
          const out = await this.client.send(
            new InvokeCommand({ FunctionName: this.options.functionName, InvocationType: 'Event', Payload: payload }),
            { abortSignal: this.stopping.signal },
          );
          metrics.invokes.inc({ result: 'sent' });
          return out.StatusCode;
        } catch (err) {
          metrics.invokes.inc({ result: 'failed' });
          throw err;
        }
      },
      {
        deadline,
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
    log.error('notice not delivered', { err: outcome.error, attempts: outcome.attempts, reason: outcome.reason });
    return false;
  }
}
