/**
 * The poll loop: every interval, check all signals in parallel and hand each notice onwards.
 * A failed check (IMDS 500, timeout, garbage) is logged and counted, and the next tick tries again:
 * the loop itself never stops until told to. Ticks never overlap.
 */
import type { InterruptionNotice } from '../../../contract/interruption-notice';
import { ImdsError, type ImdsClient } from './imds';
import type { Logger } from './logger';
import type { DaemonMetrics } from './metrics';
import { SignalParseError, type SignalMonitor } from './signals';

export interface PollerOptions {
  readonly imds: ImdsClient;
  readonly monitors: readonly SignalMonitor[];
  readonly intervalMs: number;
  readonly nodeName?: string;
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
  readonly onNotice: (notice: InterruptionNotice, detectedAt: number) => void;
  /** After each successful check of a signal, with every notice it shows now (none: all gone). */
  readonly onChecked?: (kind: SignalMonitor['kind'], notices: readonly InterruptionNotice[]) => void;
}

export class Poller {
  private readonly stopping = new AbortController();
  private timer?: NodeJS.Timeout;
  private instanceId?: string;
  private running?: Promise<void>;
  /** Epoch ms of the last finished tick; the health check watches it. */
  lastTickAt = Date.now();

  constructor(private readonly options: PollerOptions) {}

  get identity(): string | undefined {
    return this.instanceId;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      const startedAt = Date.now();
      this.running = this.tick().finally(() => {
        this.lastTickAt = Date.now();
        this.options.metrics.lastPoll.set(this.lastTickAt / 1000);
        this.schedule(Math.max(0, this.options.intervalMs - (Date.now() - startedAt)));
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const { imds, monitors, logger } = this.options;
    const signal = this.stopping.signal;
    if (!this.instanceId) {
      try {
        this.instanceId = await imds.getText('instance-id', signal);
        logger.info('watching instance', { instanceId: this.instanceId, signals: monitors.map((m) => m.kind) });
      } catch (err) {
        this.countFailure('instance-id', err);
        return;
      }
    }
    const ctx = { imds, instanceId: this.instanceId, nodeName: this.options.nodeName, now: Date.now, signal };
    await Promise.all(
      monitors.map(async (monitor) => {
        try {
          const notices = await monitor.check(ctx);
          const detectedAt = Date.now();
          for (const notice of notices) this.options.onNotice(notice, detectedAt);
          this.options.onChecked?.(monitor.kind, notices);
        } catch (err) {
          if (!signal.aborted) this.countFailure(monitor.path, err);
        }
      }),
    );
  }

  private countFailure(path: string, err: unknown): void {
    const reason = err instanceof ImdsError ? err.reason : err instanceof SignalParseError ? 'parse' : 'other';
    this.options.metrics.imdsErrors.inc({ path, reason });
    // The 401 that started a backoff was logged; the polls skipped while it lasts only count.
    const log = err instanceof ImdsError && err.backingOff ? this.options.logger.debug : this.options.logger.warn;
    log('signal check failed; will retry next poll', { path, reason, err });
  }
}
