/**
 * node-manager keeps trying: the real daemon process against a fake Lambda that refuses (403 while
 * Pod Identity credentials rotate) and a fake IMDS that keeps or drops the notice, or answers 50 MiB.
 */
import type { DaemonProcess } from './helpers/daemon-process';
import { useDaemonHarness } from './helpers/daemon-harness';

const INSTANCE_ID = 'i-0a1b2c3d4e5f60718';

describe('node-manager delivery and IMDS limits', () => {
  const nm = useDaemonHarness(INSTANCE_ID);

  const start = (): DaemonProcess =>
    nm.spawn({ NODE_NAME: 'n1' });
  const polls = async (path: string, n: number): Promise<void> => {
    const target = nm.imds.count(path) + n;
    for (let i = 0; i < 300 && nm.imds.count(path) < target; i++) await new Promise((r) => setTimeout(r, 50));
    expect(nm.imds.count(path)).toBeGreaterThanOrEqual(target);
  };
  const metric = async (port: number, name: string): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(name));
    return Number(line?.split(' ').pop());
  };
  const spotSoon = () => ({ action: 'terminate' as const, time: new Date(Date.now() + 120_000).toISOString() });

  it('delivers again on later polls after a 403, and stops after the 202', async () => {
    nm.lambda.failNext(2, 'access-denied');
    const d = start();
    const port = await d.httpPort();
    nm.imds.setSpotAction(spotSoon());
    await nm.lambda.waitForInvocations(1);
    expect(nm.lambda.calls.map((c) => c.status)).toEqual([403, 403, 202]);
    // Rounds are spaced by a growing pause, not sent on every 100 ms poll.
    const [first, second, third] = nm.lambda.calls.map((c) => c.at);
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(third - second).toBeGreaterThanOrEqual(1_900);
    await polls('spot/instance-action', 15); // IMDS keeps showing the notice; it was accepted: nothing more
    expect(nm.lambda.calls).toHaveLength(3);
    expect(new Set(nm.lambda.calls.map((c) => JSON.stringify(c.payload))).size).toBe(1); // the same notice each time
    expect(await metric(port, 'node_manager_notices_undelivered_total')).toBe(2);
    expect(await metric(port, 'node_manager_signals_seen_total{signal="spot-interruption"')).toBe(1);
  });

  it('stops delivering a notice that IMDS no longer shows', async () => {
    nm.lambda.failNext(100, 'access-denied');
    start();
    nm.imds.setSpotAction(spotSoon());
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => nm.lambda.calls.length > 0 && (clearInterval(timer), resolve()), 20);
    });
    nm.imds.setSpotAction(undefined);
    await polls('spot/instance-action', 40); // 4 s: two pauses' worth
    expect(nm.lambda.calls.length).toBeLessThanOrEqual(2); // the first round, and at most one started as the notice vanished
  });

  it('shrugs off a 50 MiB IMDS answer: counted as oversize, resident memory barely moves, still delivers', async () => {
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
