/**
 * Injected faults: throttle or fail a share of a service's calls, or slow them down, so tests
 * can prove the caller retries (the SDK's retry strategy) and tolerates slow APIs.
 */
import type { FakeAwsError } from './protocol';

export type ServiceName = 'ec2' | 'elbv2' | 'sns' | 'dynamodb' | 'secretsManager' | 'sqs';

export interface FaultScope {
  /** Only this action (e.g. `DescribeTargetHealth`); every action when absent. */
  readonly action?: string;
  /** Affect this many matching calls, then stop. @default unlimited */
  readonly times?: number;
  /** Affect this share (0–1) of matching calls, drawn from the seeded generator. @default 1 */
  readonly fraction?: number;
}

interface Rule extends FaultScope {
  readonly service: ServiceName;
  /** `'throttle'` = the service's real throttling error. */
  readonly error?: FakeAwsError | 'throttle';
  readonly delayMs?: number;
  remaining: number;
}

export interface FaultDecision {
  readonly delayMs: number;
  readonly error?: FakeAwsError | 'throttle';
}

export class Faults {
  private rules: Rule[] = [];
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  /** Answer matching calls with the service's real throttling error (Throttling, RequestLimitExceeded, …). */
  throttle(service: ServiceName, scope: FaultScope = {}): void {
    this.add({ service, ...scope, error: 'throttle' });
  }

  /** Answer matching calls with a given error, e.g. `new FakeAwsError('InternalFailure', '…', 500)`. */
  fail(service: ServiceName, error: FakeAwsError, scope: FaultScope = {}): void {
    this.add({ service, ...scope, error });
  }

  /** Delay matching calls by `ms` before they are answered. */
  delay(service: ServiceName, ms: number, scope: FaultScope = {}): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`delay ms must be a non-negative number, got ${ms}`);
    this.add({ service, ...scope, delayMs: ms });
  }

  clear(): void {
    this.rules = [];
  }

  /** What happens to one call: the longest matching delay and the first matching error. */
  decide(service: ServiceName, action: string): FaultDecision {
    let delayMs = 0;
    let error: FaultDecision['error'];
    for (const rule of this.rules) {
      if (rule.service !== service || (rule.action && rule.action !== action) || rule.remaining <= 0) continue;
      if (rule.error && error) continue;
      if ((rule.fraction ?? 1) < 1 && this.random() >= rule.fraction!) continue;
      rule.remaining--;
      if (rule.error) error = rule.error;
      delayMs = Math.max(delayMs, rule.delayMs ?? 0);
    }
    return { delayMs, error };
  }

  private add(rule: Omit<Rule, 'remaining'>): void {
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) {
      throw new Error(`fault times must be a positive integer, got ${rule.times}`);
    }
    if (rule.fraction !== undefined && !(rule.fraction >= 0 && rule.fraction <= 1)) {
      throw new Error(`fault fraction must be between 0 and 1, got ${rule.fraction}`);
    }
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }
}

/** A small seeded generator, so a "30 % throttled" run is the same run every time. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
