/**
 * node-manager keeps trying: the real daemon process against a fake Lambda that refuses (403 while
 * Pod Identity credentials rotate) and a fake IMDS that keeps or drops the notice, or answers 50 MiB.
 */
import { startHarness, type OnFinished } from './helpers/daemon-harness';
import { metricValue as metric } from './helpers/metrics';
import { imdsPolls, until } from './helpers/waits';

const INSTANCE_ID = 'i-0a1b2c3d4e5f60718';
/** A short first pause between delivery rounds (the daemon's default is 1000 ms); it doubles per round. */
const PAUSE_MS = 200;

const spotSoon = () => ({ action: 'terminate' as const, time: new Date(Date.now() + 120_000).toISOString() });

async function setup(onTestFinished: OnFinished) {
  const nm = await startHarness(onTestFinished, { instanceId: INSTANCE_ID });
  return {
    nm,
    start: () => nm.spawn({ NODE_NAME: 'n1', REDELIVERY_PAUSE_MS: String(PAUSE_MS) }),
    polls: (path: string, n: number) => imdsPolls(nm.imds, path, n),
  };
}

describe.concurrent('node-manager delivery and IMDS limits', () => {
  it('delivers again on later polls after a 403, and stops after the 202', async ({ expect, onTestFinished }) => {
    const { nm, start, polls } = await setup(onTestFinished);
    nm.lambda.failNext(2, 'access-denied');
    const d = start();
    const port = await d.httpPort();
    nm.imds.setSpotAction(spotSoon());
    await nm.lambda.waitForInvocations(1);
    expect(nm.lambda.calls.map((c) => c.status)).toEqual([403, 403, 202]);
    // Rounds are spaced by a growing pause, not sent on every 100 ms poll.
    const [first, second, third] = nm.lambda.calls.map((c) => c.at);
    expect(second - first).toBeGreaterThanOrEqual(0.9 * PAUSE_MS);
    expect(third - second).toBeGreaterThanOrEqual(1.9 * PAUSE_MS);
    await polls('spot/instance-action', 15); // IMDS keeps showing the notice; it was accepted: nothing more
    expect(nm.lambda.calls).toHaveLength(3);
    expect(new Set(nm.lambda.calls.map((c) => JSON.stringify(c.payload))).size).toBe(1); // the same notice each time
    expect(await metric(port, 'node_manager_notices_undelivered_total')).toBe(2);
    expect(await metric(port, 'node_manager_signals_seen_total{signal="spot-interruption"')).toBe(1);
  });

  it('stops delivering a notice that IMDS no longer shows', async ({ expect, onTestFinished }) => {
    const { nm, start, polls } = await setup(onTestFinished);
    nm.lambda.failNext(100, 'access-denied');
    // The notice vanishes while the first round is being refused.
    const removeHook = nm.lambda.onInvoke(() => {
      nm.imds.setSpotAction(undefined);
      removeHook();
    });
    start();
    nm.imds.setSpotAction(spotSoon());
    await until(() => nm.lambda.calls.length > 0, 'the first delivery round');
    await polls('spot/instance-action', 10); // over a second: more than the first two pauses (200 + 400 ms)
    expect(nm.lambda.calls.length).toBeLessThanOrEqual(2); // the first round, and at most one started as the notice vanished
  });

  it('shrugs off a 50 MiB IMDS answer: counted as oversize, resident memory barely moves, still delivers', async ({ expect, onTestFinished }) => {
    const { nm, start, polls } = await setup(onTestFinished);
    const d = start();
    const port = await d.httpPort();
    await polls('spot/instance-action', 3);
    const before = await metric(port, 'node_manager_process_resident_memory_bytes');
    nm.imds.injectFault({ kind: 'huge', bytes: 50 * 1024 * 1024 }, { path: 'spot/instance-action', times: 3 });
    await polls('spot/instance-action', 6);
    const after = await metric(port, 'node_manager_process_resident_memory_bytes');
    expect(await metric(port, 'node_manager_imds_errors_total{path="spot/instance-action",reason="oversize"}')).toBe(3);
    expect(after - before).toBeLessThan(16 * 1024 * 1024); // buffering it would add ≥ 50 MiB (195 MiB was seen)
    nm.imds.setSpotAction(spotSoon());
    await nm.lambda.waitForInvocations(1);
    expect(d.child.exitCode).toBeNull();
  });
});
