/**
 * The real daemon process (tsx on the sources) against a fake IMDS and a fake Lambda endpoint.
 */
import { startHarness, type OnFinished } from './helpers/daemon-harness';
import { metricLine } from './helpers/metrics';
import { imdsPolls } from './helpers/waits';

const INSTANCE_ID = 'i-0a1b2c3d4e5f60718';
const NODE_NAME = 'ip-10-0-1-23.eu-west-1.compute.internal';

const spotIn = (ms: number) => ({ action: 'terminate' as const, time: new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z') });

/** This test's fakes; `start` spawns the daemon on them. */
async function setup(onTestFinished: OnFinished) {
  const nm = await startHarness(onTestFinished, { instanceId: INSTANCE_ID });
  return {
    nm,
    start: (overrides: Record<string, string> = {}) => nm.spawn({ NODE_NAME, ...overrides }),
    /** Resolves once IMDS has answered `path` `n` more times than now — a clock made of polls. */
    polls: (path: string, n: number) => imdsPolls(nm.imds, path, n),
  };
}

describe.concurrent('node-manager daemon process', () => {
  it('polls with one IMDSv2 token, sends nothing on 404, then exactly one async invoke per notice', async ({ expect, onTestFinished }) => {
    const { nm, start, polls } = await setup(onTestFinished);
    start();
    await polls('spot/instance-action', 5);
    expect(nm.imds.count('spot/instance-action', 404)).toBe(nm.imds.count('spot/instance-action'));
    expect(nm.imds.count('token', 200)).toBe(1);
    expect(nm.imds.requests.filter((r) => r.status === 401)).toEqual([]);
    expect(nm.lambda.calls).toEqual([]);

    const action = spotIn(120_000);
    nm.imds.setSpotAction(action);
    const [invocation] = await nm.lambda.waitForInvocations(1);
    await polls('spot/instance-action', 10); // the notice stays in IMDS; it must not be sent again
    expect(nm.lambda.calls).toHaveLength(1);
    expect(invocation).toMatchObject({ functionName: 'spot-ready-termination', invocationType: 'Event', status: 202 });
    expect(invocation.payload).toEqual({
      version: 1,
      source: 'node-manager',
      instanceId: INSTANCE_ID,
      nodeName: 'ip-10-0-1-23.eu-west-1.compute.internal',
      signal: 'spot-interruption',
      noticeTime: new Date(action.time).toISOString(),
      action: 'terminate',
    });
  });

  it('keeps polling through 500s, timeouts, garbage JSON and an expired token, then delivers', async ({ expect, onTestFinished }) => {
    const { nm, start, polls } = await setup(onTestFinished);
    // A timeout well above a loaded machine's answer times, so only the delayed answers time out.
    const d = start({ IMDS_TIMEOUT_MS: '1000' });
    const port = await d.httpPort();
    await polls('spot/instance-action', 2);
    nm.imds.injectFault({ kind: 'status', status: 500 }, { path: 'spot/instance-action', times: 2 });
    nm.imds.injectFault({ kind: 'delay', ms: 5_000 }, { path: 'spot/instance-action', times: 2 });
    nm.imds.injectFault({ kind: 'garbage' }, { path: 'spot/instance-action', times: 2 });
    nm.imds.expireTokens();
    nm.imds.setSpotAction(spotIn(120_000));

    await nm.lambda.waitForInvocations(1);
    await polls('spot/instance-action', 5);
    expect(nm.lambda.calls).toHaveLength(1);
    expect(d.child.exitCode).toBeNull();
    const reasons = d.logs.filter((l) => l.msg.startsWith('signal check failed')).map((l) => l.reason);
    expect(new Set(reasons)).toEqual(new Set(['status', 'timeout', 'parse']));
    expect(nm.imds.requests.some((r) => r.status === 401)).toBe(true); // the expired token was refused…
    expect(nm.imds.count('token', 200)).toBeGreaterThanOrEqual(2); // …and replaced
    expect(await metricLine(port, 'node_manager_imds_errors_total{path="spot/instance-action",reason="timeout"}')).toMatch(/ 2$/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', instanceId: INSTANCE_ID });
  });

  it('keeps polling while IMDS is down at start, and finds the instance once it answers', async ({ expect, onTestFinished }) => {
    const { nm, start } = await setup(onTestFinished);
    nm.imds.injectFault({ kind: 'status', status: 503 }, { path: 'token', times: 5 });
    start();
    nm.imds.setSpotAction(spotIn(120_000));
    const [invocation] = await nm.lambda.waitForInvocations(1);
    expect(invocation.payload).toMatchObject({ instanceId: INSTANCE_ID });
    expect(nm.imds.count('token', 503)).toBe(5);
  });

  it('retries a throttled invoke and still delivers exactly once', async ({ expect, onTestFinished }) => {
    const { nm, start, polls } = await setup(onTestFinished);
    nm.lambda.failNext(2, 'throttle');
    nm.lambda.failNext(1, 'server-error');
    const d = start();
    const port = await d.httpPort();
    nm.imds.setSpotAction(spotIn(120_000));
    await nm.lambda.waitForInvocations(1);
    await polls('spot/instance-action', 5);
    expect(nm.lambda.calls.map((c) => c.status)).toEqual([429, 429, 500, 202]);
    expect(await metricLine(port, 'node_manager_lambda_invokes_total{result="failed"}')).toMatch(/ 3$/);
    expect(await metricLine(port, 'node_manager_lambda_invokes_total{result="sent"}')).toMatch(/ 1$/);
  });

  it('reports signals outside ACT_ON, acts on ASG termination, one invoke per notice', async ({ expect, onTestFinished }) => {
    const { nm, start, polls } = await setup(onTestFinished);
    const d = start();
    const port = await d.httpPort();
    nm.imds.setRebalanceRecommendation({ noticeTime: '2026-11-22T11:50:00Z' });
    nm.imds.setScheduledEvents([
      { Code: 'system-reboot', NotBefore: '22 Nov 2026 14:00:00 GMT', State: 'active' },
      { Code: 'instance-stop', NotBefore: '20 Nov 2026 09:00:00 GMT', State: 'canceled' },
    ]);
    nm.imds.setTargetLifecycleState('Terminated');
    await nm.lambda.waitForInvocations(3);
    await polls('autoscaling/target-lifecycle-state', 5);
    const sent = nm.lambda.invocations.map((i) => i.payload as { signal: string; action: string });
    expect(sent.map((n) => `${n.signal}:${n.action}`).sort()).toEqual([
      'asg-termination:terminate',
      'rebalance-recommendation:report',
      'scheduled-maintenance:report',
    ]);
    expect(await metricLine(port, 'node_manager_signals_seen_total{signal="asg-termination",action="terminate"}')).toMatch(/ 1$/);
  });

  it('DRY_RUN sends the notice as a report only', async ({ expect, onTestFinished }) => {
    const { nm, start } = await setup(onTestFinished);
    start({ DRY_RUN: 'true' });
    nm.imds.setSpotAction(spotIn(120_000));
    const [invocation] = await nm.lambda.waitForInvocations(1);
    expect(invocation.payload).toMatchObject({ signal: 'spot-interruption', action: 'report' });
  });

  it('stops on SIGTERM with exit code 0, closing its HTTP server', async ({ expect, onTestFinished }) => {
    const { start, polls } = await setup(onTestFinished);
    const d = start();
    const port = await d.httpPort();
    await polls('spot/instance-action', 2);
    expect(await d.stop()).toBe(0);
    expect(d.logs.map((l) => l.msg)).toContain('stopped');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
