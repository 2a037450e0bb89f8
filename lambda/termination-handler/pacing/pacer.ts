/**
 * One pacer per Lambda container: a client-side {@link AdaptiveBucket} per AWS bucket (ELBv2 Describe*,
 * ELBv2 Register/Deregister, each EC2 action), sized as AWS's documented bucket less the share reserved
 * for the rest of the account (burst and starting rate), shared by every call the container makes. The
 * rate grows toward AWS's documented refill while AWS accepts, and falls back on every Throttling. Attached to the SDK clients as
 * middleware INSIDE the SDK's retry loop, so a retry waits for a token like any first attempt.
 *
 * A throttled request changed nothing, so until the invocation's resend deadline
 * ({@link Pacer.resendThrottledFor}) the pacer sends it again itself once the slowed bucket grants a
 * token, instead of spending one of the SDK's 4 attempts: an account whose other clients hold most
 * of a bucket slows the handler down but does not fail it (a failed invocation is retried by Lambda
 * a minute later, past the notice's two minutes). After the deadline a throttled answer goes to the
 * SDK's retries as any error does.
 *
 * Several containers never pace against each other: the wave coordinator (../waves) lets one container
 * at a time do AWS work for the whole wave, so this one pacer is the account-side spend of the handler.
 */
import { AdaptiveBucket, realClock, type PacerClock } from './bucket';
import { AWS_API_LIMITS, bucketKeyOf, DEFAULT_RESERVED_SHARE } from './limits';

export interface PacerOptions {
  /** Share (0–0.95) of each AWS bucket left to other clients. @default DEFAULT_RESERVED_SHARE */
  readonly reservedShare?: number;
  readonly clock?: PacerClock;
}

const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException']);

export class Pacer {
  private readonly buckets = new Map<string, AdaptiveBucket>();
  readonly reservedShare: number;
  private readonly clock: PacerClock;
  /** Calls AWS answered with a throttling error (each attempt counts). */
  throttledCalls = 0;
  /** Calls sent through the pacer (each attempt counts). */
  calls = 0;
  /** Throttled requests the pacer sent again itself. */
  resentCalls = 0;
  /** Until when (on the pacer's clock) a throttled request is sent again by the pacer. */
  private resendUntil = -Infinity;

  constructor(options: PacerOptions = {}) {
    const share = options.reservedShare ?? DEFAULT_RESERVED_SHARE;
    if (!(share >= 0 && share <= 0.95)) throw new RangeError(`reserved share must be from 0 to 0.95, got ${share}`);
    this.reservedShare = share;
    this.clock = options.clock ?? realClock;
  }

  bucketFor(service: 'elbv2' | 'ec2', action: string): AdaptiveBucket {
    const { key, group } = bucketKeyOf(service, action);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const limit = AWS_API_LIMITS[group];
      const keep = 1 - this.reservedShare;
      bucket = new AdaptiveBucket(
        {
          capacity: Math.max(1, Math.floor(limit.capacity * keep)),
          ratePerSecond: limit.refillPerSecond * keep,
          maxRatePerSecond: limit.refillPerSecond,
        },
        this.clock,
      );
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /**
   * Throttled requests are sent again by the pacer for the next `ms` milliseconds (the invocation's
   * time left, less what the steps after the AWS calls need); 0 or less: not at all.
   */
  resendThrottledFor(ms: number): void {
    this.resendUntil = this.clock.now() + ms;
  }

  /**
   * Runs one call under its bucket: waits for a token, then adapts to AWS's answer. A throttled
   * answer before the resend deadline sends the call again (after the next token); any other answer
   * or error is returned as it is.
   */
  async run<T>(service: 'elbv2' | 'ec2', action: string, call: () => Promise<T>): Promise<T> {
    const bucket = this.bucketFor(service, action);
    for (;;) {
      await bucket.take();
      this.calls++;
      try {
        const out = await call();
        bucket.onSuccess();
        return out;
      } catch (err) {
        if (!THROTTLED.has((err as Error)?.name)) throw err;
        this.throttledCalls++;
        bucket.onThrottled();
        if (this.clock.now() >= this.resendUntil) throw err;
        this.resentCalls++;
      }
    }
  }
}

/** The part of an SDK v3 client the pacer needs. */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: any) => Promise<any>, context: { commandName?: string }) => (args: any) => Promise<any>,
      options: { step: 'deserialize'; priority: 'high'; name: string; override?: boolean },
    ): void;
  };
}

/**
 * Paces every request of `client`. The middleware sits in the deserialize step above the deserializer,
 * so it sees AWS's throttling error by name, and below the retry middleware (finalizeRequest), so every
 * attempt takes a token.
 */
export function attachPacer(client: MiddlewareClient, service: 'elbv2' | 'ec2', pacer: Pacer): void {
  client.middlewareStack.add(
    (next, context) => (args) => pacer.run(service, (context.commandName ?? 'Unknown').replace(/Command$/, ''), () => next(args)),
    { step: 'deserialize', priority: 'high', name: 'terminationHandlerPacing', override: true },
  );
}
