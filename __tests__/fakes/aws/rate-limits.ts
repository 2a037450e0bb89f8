/**
 * AWS's request throttling, as token buckets per account and Region (AWS: "Request throttling for the
 * Elastic Load Balancing API", "Request throttling for the Amazon EC2 API"):
 *  - ELBv2: every `Describe*` shares one bucket (40 tokens, 10/s); RegisterTargets and DeregisterTargets
 *    share one (20, 4/s); any other ELBv2 action has its own (20, 4/s here).
 *  - EC2: one bucket PER ACTION; non-mutating (`Describe*`) 100 tokens @ 20/s, mutating 50 @ 5/s.
 * A call that finds its bucket empty is answered with the service's real throttling error
 * (`Throttling` / `RequestLimitExceeded`) and costs nothing. Every client of the fake server spends from
 * the same buckets, as every client of an account does. `usedByOthers` models the rest of the account
 * (the Load Balancer Controller first of all): that share of every bucket's burst and refill is gone.
 */
import type { ServiceName } from './faults';

export interface BucketSpec {
  /** Tokens when full (the burst). */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

export interface RateLimitOptions {
  /** Share (0–1) of every bucket's burst and refill already spent by other clients. @default 0 */
  readonly usedByOthers?: number;
  /** Time source in ms. @default Date.now */
  readonly now?: () => number;
}

export const DOCUMENTED_LIMITS = {
  elbv2Describe: { capacity: 40, refillPerSecond: 10 },
  elbv2Registration: { capacity: 20, refillPerSecond: 4 },
  elbv2OtherMutating: { capacity: 20, refillPerSecond: 4 },
  ec2NonMutating: { capacity: 100, refillPerSecond: 20 },
  ec2Mutating: { capacity: 50, refillPerSecond: 5 },
} as const satisfies Record<string, BucketSpec>;

/** Which bucket an action spends from, or undefined when the fake does not rate-limit the service. */
export function bucketOf(service: ServiceName, action: string): { key: string; spec: BucketSpec } | undefined {
  if (service === 'elbv2') {
    if (action.startsWith('Describe')) return { key: 'elbv2:Describe*', spec: DOCUMENTED_LIMITS.elbv2Describe };
    if (action === 'RegisterTargets' || action === 'DeregisterTargets') {
      return { key: 'elbv2:RegisterTargets|DeregisterTargets', spec: DOCUMENTED_LIMITS.elbv2Registration };
    }
    return { key: `elbv2:${action}`, spec: DOCUMENTED_LIMITS.elbv2OtherMutating };
  }
  if (service === 'ec2') {
    const spec = action.startsWith('Describe') ? DOCUMENTED_LIMITS.ec2NonMutating : DOCUMENTED_LIMITS.ec2Mutating;
    return { key: `ec2:${action}`, spec };
  }
  return undefined;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface BucketStats {
  readonly allowed: number;
  readonly throttled: number;
}

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly stats = new Map<string, { allowed: number; throttled: number }>();
  private share: number;
  private enabled = true;
  private readonly now: () => number;

  constructor(options: RateLimitOptions = {}) {
    this.share = checkShare(options.usedByOthers ?? 0);
    this.now = options.now ?? Date.now;
  }

  /** Change the share other clients use; buckets restart full at the new size. */
  configure(options: { usedByOthers?: number; enabled?: boolean }): void {
    if (options.usedByOthers !== undefined) this.share = checkShare(options.usedByOthers);
    if (options.enabled !== undefined) this.enabled = options.enabled;
    this.buckets.clear();
    this.stats.clear();
  }

  /** True when the call may proceed (a token was spent), false when it must be answered with throttling. */
  take(service: ServiceName, action: string): boolean {
    const which = bucketOf(service, action);
    if (!which || !this.enabled) return true;
    const bucket = this.bucket(which.key, which.spec);
    const stats = this.stats.get(which.key) ?? { allowed: 0, throttled: 0 };
    this.stats.set(which.key, stats);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      stats.allowed++;
      return true;
    }
    stats.throttled++;
    return false;
  }

  /** Tokens left now (after refill), for tests. */
  tokens(service: ServiceName, action: string): number {
    const which = bucketOf(service, action);
    return which ? this.bucket(which.key, which.spec).tokens : Number.POSITIVE_INFINITY;
  }

  /** Calls allowed and throttled per bucket since the last configure(). */
  statsByBucket(): Record<string, BucketStats> {
    return Object.fromEntries([...this.stats].map(([k, v]) => [k, { ...v }]));
  }

  private bucket(key: string, spec: BucketSpec): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const capacity = spec.capacity * (1 - this.share);
      bucket = { tokens: capacity, updatedAt: now, capacity, refillPerSecond: spec.refillPerSecond * (1 - this.share) };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + elapsed * bucket.refillPerSecond);
    bucket.updatedAt = now;
    return bucket;
  }
}

function checkShare(share: number): number {
  if (!(share >= 0 && share < 1)) throw new Error(`usedByOthers must be a share from 0 to below 1, got ${share}`);
  return share;
}
