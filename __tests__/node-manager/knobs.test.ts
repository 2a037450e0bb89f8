/**
 * The NTH-style knobs as the real daemon applies them: pod and node grace periods, the taint
 * effect, Kubernetes Events per action and the operator webhook (whose URL path never reaches a log).
 */
import type { FakePod } from '../fakes/kube-api';
import { startLocalServer } from '../fakes/recording-server';
import { startHarness, type OnFinished } from './helpers/daemon-harness';
import { imdsPolls, until } from './helpers/waits';

const NODE = 'ip-10-0-1-23.eu-west-1.compute.internal';
const PODS: FakePod[] = [
  { namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet' },
  { namespace: 'shop', name: 'web-2', ownerKind: 'ReplicaSet' },
];
const SECRET_PATH = '/services/T0001/B0001/s3cr3tT0k3n';

const spotIn = (ms: number) => ({ action: 'terminate' as const, time: new Date(Date.now() + ms).toISOString() });

/** Fake IMDS, Lambda, Kubernetes API and webhook receiver for this test; every spawn drains through the fake API. */
async function setup(onTestFinished: OnFinished) {
  const nm = await startHarness(onTestFinished, { kube: { node: NODE, pods: PODS }, hook: true, env: { LABEL_LIFECYCLE: 'false' } });
  return { imds: nm.imds, kube: nm.kube, hook: nm.hook, start: (overrides: Record<string, string> = {}) => nm.spawn(overrides) };
}

describe.concurrent('node-manager knobs', () => {
  it('evicts with the configured pod grace period, and bounds the drain by the node grace period', async ({ expect, onTestFinished }) => {
    const { imds, kube, start } = await setup(onTestFinished);
    const d = start({ POD_TERMINATION_GRACE_PERIOD_SECONDS: '15', NODE_TERMINATION_GRACE_PERIOD_SECONDS: '600' });
    const before = Date.now();
    imds.setSpotAction(spotIn(120_000));
    const draining = await d.waitForLog((l) => l.msg === 'draining node');
    await d.waitForLog((l) => l.msg === 'drain finished');
    const evictions = kube.requests.filter((r) => r.path.endsWith('/eviction'));
    expect(evictions).toHaveLength(2);
    for (const e of evictions) expect(e.body).toMatchObject({ kind: 'Eviction', deleteOptions: { gracePeriodSeconds: 15 } });
    // 600 s from detection, not the notice's 120 s.
    const deadline = Date.parse(draining.deadline as string);
    expect(deadline - before).toBeGreaterThanOrEqual(599_000);
    expect(deadline - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it("leaves each pod's own grace period when none is configured", async ({ expect, onTestFinished }) => {
    const { imds, kube, start } = await setup(onTestFinished);
    const d = start();
    imds.setSpotAction(spotIn(120_000));
    await d.waitForLog((l) => l.msg === 'drain finished');
    for (const e of kube.requests.filter((r) => r.path.endsWith('/eviction'))) expect((e.body as { deleteOptions?: unknown }).deleteOptions).toBeUndefined();
  });

  it('records one Event on the Node per action, and none with EMIT_KUBERNETES_EVENTS=false', async ({ expect, onTestFinished }) => {
    const { imds, kube, start } = await setup(onTestFinished);
    const d = start();
    imds.setSpotAction(spotIn(120_000));
    await d.waitForLog((l) => l.msg === 'drain finished');
    await until(() => kube.events.length > 0, 'the drain event', { timeoutMs: 5_000 });
    expect(kube.events).toEqual([
      expect.objectContaining({
        reason: 'NodeManagerDrain',
        type: 'Normal',
        involvedObject: { apiVersion: 'v1', kind: 'Node', name: NODE },
        message: expect.stringMatching(/^spot-interruption at .+: cordoned; 2 pods evicted, 0 not, 0 skipped$/),
      }),
    ]);
    await d.stop();
    kube.events.length = 0;
    const quiet = start({ EMIT_KUBERNETES_EVENTS: 'false' });
    imds.setSpotAction(spotIn(150_000));
    await quiet.waitForLog((l) => l.msg === 'drain finished');
    await imdsPolls(imds, 'spot/instance-action', 3); // time for an event to have been sent

    expect(kube.events).toEqual([]);
  });

  it('posts the rendered webhook template per action, JSON-escaped, and logs only the host', async ({ expect, onTestFinished }) => {
    const { imds, kube, hook, start } = await setup(onTestFinished);
    const d = start({
      WEBHOOK_URL: `${hook.url}${SECRET_PATH}`,
      WEBHOOK_TEMPLATE: '{"text":"{{action}} {{signal}} {{nodeName}}","blocks":[{"detail":"{{detail}}"}]}',
      CORDON_ONLY: 'true',
      LOG_LEVEL: 'debug',
    });
    imds.setSpotAction(spotIn(120_000));
    await d.waitForLog((l) => l.msg === 'webhook posted');
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]).toMatchObject({ method: 'POST', path: SECRET_PATH, headers: expect.objectContaining({ 'content-type': 'application/json' }) });
    expect(JSON.parse(hook.requests[0].body)).toEqual({ text: `cordon spot-interruption ${NODE}`, blocks: [{ detail: 'cordoned and tainted (cordon-only)' }] });
    expect(kube.podNames()).toEqual(['shop/web-1', 'shop/web-2']); // cordon-only evicts nothing
    const logged = JSON.stringify(d.logs) + d.stderr;
    expect(logged).toContain(new URL(hook.url).host);
    expect(logged).not.toContain('s3cr3tT0k3n');
  });

  it('keeps going when the webhook is down, logging the host only', async ({ expect, onTestFinished }) => {
    const { imds, start } = await setup(onTestFinished);
    const down = await startLocalServer();
    const url = down.url;
    await down.close();
    const d = start({ WEBHOOK_URL: `${url}${SECRET_PATH}`, CORDON_ONLY: 'true' });
    imds.setSpotAction(spotIn(120_000));
    const failed = await d.waitForLog((l) => l.msg === 'webhook not posted');
    expect(failed).toMatchObject({ webhookHost: new URL(url).host, code: 'ECONNREFUSED' });
    expect(JSON.stringify(d.logs)).not.toContain('s3cr3tT0k3n');
    expect(d.child.exitCode).toBeNull();
  });
});
