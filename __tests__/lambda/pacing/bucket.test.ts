/**
 * The pacer never overdraws: whatever the arrival pattern, the calls it lets through fit a token
 * bucket of its configured burst and rate — so AWS's bucket of that size never runs dry because of us.
 */
import fc from 'fast-check';
import { AdaptiveBucket, type PacerClock } from '../../../lambda/termination-handler/pacing/bucket';
import { Pacer } from '../../../lambda/termination-handler/pacing/pacer';

/** Virtual time: sleeps resolve when the test advances past them. */
function virtualClock() {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const clock: PacerClock = {
    now: () => now,
    sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
  };
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return {
    clock,
    get now() {
      return now;
    },
    /** Runs every timer due up to `until`, in time order. */
    async advanceTo(until: number) {
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > until) break;
        timers.shift();
        now = Math.max(now, next.at);
        next.resolve();
        await flush();
      }
      now = Math.max(now, until);
      await flush();
    },
  };
}

/** An AWS-side token bucket of the same shape, checked at every grant. */
function accountBucket(capacity: number, rate: number) {
  let tokens = capacity;
  let at = 0;
  return (time: number): boolean => {
    tokens = Math.min(capacity, tokens + ((time - at) / 1000) * rate);
    at = time;
    if (tokens < 1 - 1e-9) return false;
    tokens -= 1;
    return true;
  };
}

describe('AdaptiveBucket', () => {
  it('never lets through more than burst + rate × elapsed, over random arrivals and throttled answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          capacity: fc.integer({ min: 1, max: 40 }),
          rate: fc.double({ min: 0.5, max: 20, noNaN: true }),
          headroom: fc.double({ min: 1, max: 2, noNaN: true }),
          // Gaps between arrivals (ms) and whether AWS answered that call with Throttling.
          calls: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 1500 }), throttled: fc.boolean() }), { minLength: 1, maxLength: 120 }),
        }),
        async ({ capacity, rate, headroom, calls }) => {
          const time = virtualClock();
          // Starts at `rate`, may grow to the account's refill (`max`) while AWS says yes.
          const max = rate * headroom;
          const bucket = new AdaptiveBucket({ capacity, ratePerSecond: rate, maxRatePerSecond: max }, time.clock);
          const account = accountBucket(capacity, max);
          const granted: number[] = [];
          let arrival = 0;
          const done: Promise<void>[] = [];
          for (const call of calls) {
            arrival += call.gap;
            await time.advanceTo(arrival);
            done.push(
              bucket.take().then(() => {
                granted.push(time.now);
                expect(account(time.now)).toBe(true); // AWS's bucket of this shape had a token
                if (call.throttled) bucket.onThrottled();
                else bucket.onSuccess();
              }),
            );
          }
          await time.advanceTo(arrival + ((calls.length + capacity) / (rate / 20)) * 1000 + 10_000);
          await Promise.all(done);
          expect(granted).toHaveLength(calls.length);
          // Token-bucket conformance over every window [i, j].
          for (let i = 0; i < granted.length; i++) {
            for (let j = i; j < granted.length; j++) {
              expect(j - i + 1).toBeLessThanOrEqual(capacity + (max * (granted[j]! - granted[i]!)) / 1000 + 1e-6);
            }
          }
          expect(bucket.rate).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('serves waiters in arrival order and refills at its rate', async () => {
    const time = virtualClock();
    const bucket = new AdaptiveBucket({ capacity: 2, ratePerSecond: 4 }, time.clock);
    const order: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) => bucket.take().then(() => order.push(i)));
    await time.advanceTo(0);
    expect(order).toEqual([0, 1]);
    await time.advanceTo(250);
    expect(order).toEqual([0, 1, 2]);
    await time.advanceTo(750);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('backs off on Throttling (empties and slows, once per burst), then grows no higher than its ceiling', async () => {
    const time = virtualClock();
    const bucket = new AdaptiveBucket({ capacity: 10, ratePerSecond: 3, maxRatePerSecond: 4, increasePerSuccess: 0.5 }, time.clock);
    bucket.onThrottled();
    expect(bucket.rate).toBeCloseTo(2.4);
    bucket.onThrottled(); // the same burst coming back: one signal
    expect(bucket.rate).toBeCloseTo(2.4);
    await time.advanceTo(1000);
    bucket.onThrottled();
    expect(bucket.rate).toBeCloseTo(1.92);
    for (let i = 0; i < 10; i++) bucket.onSuccess();
    expect(bucket.rate).toBe(4);
  });
});

describe('Pacer', () => {
  it('sizes each bucket as AWS documents it, less the reserved share, one bucket per EC2 action', () => {
    const pacer = new Pacer({ reservedShare: 0.5 });
    expect(pacer.bucketFor('elbv2', 'DescribeTargetHealth').options).toEqual({ capacity: 20, ratePerSecond: 5, maxRatePerSecond: 10 });
    expect(pacer.bucketFor('elbv2', 'DescribeTargetGroups')).toBe(pacer.bucketFor('elbv2', 'DescribeTags'));
    expect(pacer.bucketFor('elbv2', 'DeregisterTargets').options).toEqual({ capacity: 10, ratePerSecond: 2, maxRatePerSecond: 4 });
    expect(pacer.bucketFor('ec2', 'DescribeInstances').options).toEqual({ capacity: 50, ratePerSecond: 10, maxRatePerSecond: 20 });
    expect(pacer.bucketFor('ec2', 'ModifyNetworkInterfaceAttribute').options).toEqual({ capacity: 25, ratePerSecond: 2.5, maxRatePerSecond: 5 });
    expect(pacer.bucketFor('ec2', 'ModifyNetworkInterfaceAttribute')).not.toBe(pacer.bucketFor('ec2', 'ModifyInstanceAttribute'));
    expect(() => new Pacer({ reservedShare: 1 })).toThrow(/reserved share must be from 0 to 0.95, got 1/);
  });

  it('counts throttled answers and adapts only the bucket that was throttled', async () => {
    const pacer = new Pacer({ reservedShare: 0 });
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    await expect(pacer.run('elbv2', 'DeregisterTargets', () => Promise.reject(throttle))).rejects.toBe(throttle);
    await expect(pacer.run('elbv2', 'DescribeTargetHealth', () => Promise.resolve(1))).resolves.toBe(1);
    expect(pacer.throttledCalls).toBe(1);
    expect(pacer.calls).toBe(2);
    expect(pacer.bucketFor('elbv2', 'DeregisterTargets').rate).toBeCloseTo(3.2);
    expect(pacer.bucketFor('elbv2', 'DescribeTargetHealth').rate).toBe(10);
  });

  it('sends a throttled request again itself, paced, until the resend deadline; after it, the SDK gets the error', async () => {
    const time = virtualClock();
    const pacer = new Pacer({ reservedShare: 0.5, clock: time.clock });
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    const answers = (...outcomes: (Error | 'ok')[]) => {
      const sentAt: number[] = [];
      const call = () => {
        sentAt.push(time.now);
        const next = outcomes.shift() ?? 'ok';
        return next === 'ok' ? Promise.resolve('done') : Promise.reject(next);
      };
      return { call, sentAt };
    };

    pacer.resendThrottledFor(10_000);
    const twice = answers(throttle, throttle, 'ok');
    const result = pacer.run('elbv2', 'DeregisterTargets', twice.call);
    await time.advanceTo(5_000);
    await expect(result).resolves.toBe('done');
    expect(twice.sentAt).toHaveLength(3);
    // Each throttled answer empties the bucket: the next send waits for a token at the slowed rate (2/s × 0.8).
    expect(twice.sentAt[1]! - twice.sentAt[0]!).toBeGreaterThanOrEqual(600);
    expect({ calls: pacer.calls, throttled: pacer.throttledCalls, resent: pacer.resentCalls }).toEqual({ calls: 3, throttled: 2, resent: 2 });

    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied' });
    const other = answers(denied);
    await expect(pacer.run('elbv2', 'DeregisterTargets', other.call)).rejects.toBe(denied); // only Throttling is resent
    expect(other.sentAt).toHaveLength(1);

    await time.advanceTo(11_000); // past the deadline
    const late = answers(throttle, 'ok');
    const lateResult = pacer.run('elbv2', 'DeregisterTargets', late.call);
    await time.advanceTo(20_000);
    await expect(lateResult).rejects.toBe(throttle);
    expect(late.sentAt).toHaveLength(1);
    expect(pacer.resentCalls).toBe(2);
  });
});
