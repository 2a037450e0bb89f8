/**
 * A client-side token bucket that paces calls so an AWS bucket of the same shape is never overdrawn,
 * and adapts to what AWS answers (AIMD): each throttled answer cuts the rate (×`decreaseFactor`) and
 * empties the bucket — the account's bucket is empty, so a burst now would only be throttled too — and
 * each success adds `increasePerSuccess`, up to `maxRatePerSecond` (AWS's documented refill) and never
 * above it. It starts at `ratePerSecond` (the share configured for us), so it only takes more of the
 * account's bucket while AWS keeps saying yes.
 * Waiters are served in arrival order.
 */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Throttled answers closer together than this are one signal (one cut). */
const CUT_INTERVAL_MS = 1000;

export const realClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface AdaptiveBucketOptions {
  /** Tokens when full (our burst). */
  readonly capacity: number;
  /** Tokens per second to start with. */
  readonly ratePerSecond: number;
  /** The rate never rises above this. @default ratePerSecond */
  readonly maxRatePerSecond?: number;
  /** The rate never drops below this. @default ratePerSecond / 20 */
  readonly minRatePerSecond?: number;
  /** Rate added per successful call. @default maxRatePerSecond / 200 */
  readonly increasePerSuccess?: number;
  /** Rate multiplied by this on a throttled answer. @default 0.8 */
  readonly decreaseFactor?: number;
}

export class AdaptiveBucket {
  private tokens: number;
  private updatedAt: number;
  private currentRate: number;
  private readonly waiters: (() => void)[] = [];
  private pumping = false;
  private readonly minRate: number;
  private readonly maxRate: number;
  private readonly increase: number;
  private readonly decrease: number;
  granted = 0;
  throttled = 0;

  constructor(readonly options: AdaptiveBucketOptions, private readonly clock: PacerClock = realClock) {
    if (!(options.capacity >= 1)) throw new RangeError(`bucket capacity must be at least 1 token, got ${options.capacity}`);
    if (!(options.ratePerSecond > 0)) throw new RangeError(`bucket rate must be above 0 per second, got ${options.ratePerSecond}`);
    this.tokens = options.capacity;
    this.updatedAt = clock.now();
    this.currentRate = options.ratePerSecond;
    this.maxRate = Math.max(options.ratePerSecond, options.maxRatePerSecond ?? options.ratePerSecond);
    this.minRate = options.minRatePerSecond ?? this.maxRate / 20;
    this.increase = options.increasePerSuccess ?? this.maxRate / 200;
    this.decrease = options.decreaseFactor ?? 0.8;
  }

  get rate(): number {
    return this.currentRate;
  }

  /** Resolves when a call may be sent; one token is spent. */
  take(): Promise<void> {
    this.refill();
    if (!this.waiters.length && this.tokens >= 1) {
      this.tokens -= 1;
      this.granted++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      void this.pump();
    });
  }

  /** AWS accepted a call: speed up, at most to the ceiling. */
  onSuccess(): void {
    this.refill();
    this.currentRate = Math.min(this.maxRate, this.currentRate + this.increase);
  }

  /**
   * AWS answered Throttling: slow down, and do not burst into the empty account bucket. Calls sent
   * together come back throttled together; they are one signal, so the rate is cut at most once a second.
   */
  onThrottled(): void {
    this.throttled++;
    this.refill();
    const now = this.clock.now();
    if (this.lastCutAt === undefined || now - this.lastCutAt >= CUT_INTERVAL_MS) {
      this.currentRate = Math.max(this.minRate, this.currentRate * this.decrease);
      this.lastCutAt = now;
    }
    this.tokens = Math.min(this.tokens, 0);
  }

  private lastCutAt?: number;

  private refill(): void {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.options.capacity, this.tokens + elapsedSeconds * this.currentRate);
    this.updatedAt = now;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length) {
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          this.granted++;
          this.waiters.shift()!();
          continue;
        }
        await this.clock.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.currentRate) * 1000)));
      }
    } finally {
      this.pumping = false;
    }
  }
}
