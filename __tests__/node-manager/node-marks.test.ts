/**
 * What node-manager writes on its own Node besides the drain: the truthful lifecycle label at
 * start, Events per action, and the undo of a cancelled scheduled-maintenance notice — the real
 * daemon against fake IMDS, Lambda and Kubernetes API servers.
 */
import type { ScheduledEvent } from '../fakes/imds';
import type { FakePod } from '../fakes/kube-api';
import { startHarness, type OnFinished } from './helpers/daemon-harness';
import type { DaemonProcess } from './helpers/daemon-process';
import { until as untilHolds } from './helpers/waits';

const NODE = 'ip-10-0-1-23.eu-west-1.compute.internal';
const PODS: FakePod[] = [{ namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet' }];
const APPLIED = 'spot-ready-eks/node-manager-applied';

const maintenance = (State: ScheduledEvent['State']): ScheduledEvent[] => [
  { Code: 'system-reboot', EventId: 'instance-event-0d59937288b749b32', NotBefore: '22 Nov 2026 14:00:00 GMT', State },
];

/** Fake IMDS (of a `lifeCycle` instance), Lambda and Kubernetes API for this test, and the daemon on them. */
async function setup(onTestFinished: OnFinished, lifeCycle: 'spot' | 'on-demand' = 'spot') {
  const nm = await startHarness(onTestFinished, { lifeCycle, kube: { node: NODE, pods: PODS } });
  let daemon: DaemonProcess | undefined;
  return {
    imds: nm.imds,
    lambda: nm.lambda,
    kube: nm.kube,
    start: (overrides: Record<string, string> = {}): DaemonProcess => (daemon = nm.spawn(overrides)),
    until: (check: () => boolean, what: string) =>
      untilHolds(check, what, { detail: () => `logs: ${daemon?.logs.slice(-6).map((l) => l.msg).join(' | ')}` }),
  };
}

describe.concurrent('node-manager marks on its own node', () => {
  it.for([
    ['spot', 'json'],
    ['on-demand', 'yaml'],
  ] as const)('labels its node node-lifecycle=%s from IMDS, over a lying template label, once (%s kubeconfig)', async ([lifeCycle, kubeconfig], { expect, onTestFinished }) => {
    const { kube, start, until } = await setup(onTestFinished, lifeCycle);
    kube.node.metadata.labels['node-lifecycle'] = lifeCycle === 'spot' ? 'on-demand' : 'spot'; // the template said otherwise
    const d = start({ KUBECONFIG: kube.writeKubeconfig(kubeconfig) });
    await d.waitForLog((l) => l.msg === 'node labelled with its lifecycle');
    expect(kube.node.metadata.labels['node-lifecycle']).toBe(lifeCycle);
    const patches = kube.mutations().filter((r) => r.method === 'PATCH');
    expect(patches).toEqual([expect.objectContaining({ contentType: 'application/merge-patch+json', body: { metadata: { labels: { 'node-lifecycle': lifeCycle } } } })]);
    await until(() => kube.events.length > 0, 'the label event');
    expect(kube.events[0]).toMatchObject({ reason: 'NodeManagerLifecycleLabel', involvedObject: { kind: 'Node', name: NODE }, metadata: { namespace: 'default' } });
    expect(d.logs.some((l) => l.msg === 'drain code loaded')).toBe(false); // no drain: the label alone
  });

  it('writes nothing when the label is already true, and nothing with LABEL_LIFECYCLE=false', async ({ expect, onTestFinished }) => {
    const { imds, kube, start, until } = await setup(onTestFinished, 'spot');
    kube.node.metadata.labels['node-lifecycle'] = 'spot';
    const d = start();
    await d.waitForLog((l) => l.msg === 'node lifecycle label already true');
    await d.stop();
    kube.node.metadata.labels['node-lifecycle'] = 'on-demand';
    const off = start({ LABEL_LIFECYCLE: 'false' });
    await off.httpPort();
    await until(() => imds.count('spot/instance-action') > 5, 'a few polls');
    expect(kube.mutations()).toEqual([]);
    expect(kube.node.metadata.labels['node-lifecycle']).toBe('on-demand');
  });

  it('undoes exactly what it applied when the scheduled maintenance is cancelled', async ({ expect, onTestFinished }) => {
    const { imds, kube, start, until } = await setup(onTestFinished);
    const d = start({ ACT_ON: 'scheduled-maintenance', LABEL_LIFECYCLE: 'false', TAINT_EFFECT: 'NoExecute' });
    imds.setScheduledEvents(maintenance('active'));
    await d.waitForLog((l) => l.msg === 'drain finished');
    expect(kube.node.spec.unschedulable).toBe(true);
    expect(kube.node.spec.taints).toContainEqual({ key: 'spot-ready-eks/interruption', value: 'true', effect: 'NoExecute' });
    expect(JSON.parse(kube.node.metadata.annotations[APPLIED])).toMatchObject({ signal: 'scheduled-maintenance', cordoned: true, taint: true, lbLabel: true });

    imds.setScheduledEvents(maintenance('canceled'));
    await d.waitForLog((l) => l.msg === 'notice cancelled: node back in service');
    expect(kube.node.spec.unschedulable).toBeUndefined();
    expect(kube.node.spec.taints).toEqual([{ key: 'existing/taint', value: 'x', effect: 'PreferNoSchedule' }]); // someone else's stays
    expect(kube.node.metadata.labels).toEqual({ 'kubernetes.io/hostname': NODE });
    expect(kube.node.metadata.annotations?.[APPLIED]).toBeUndefined();
    await until(() => kube.events.some((e) => e.reason === 'NodeManagerUncordon'), 'the uncordon event');
    expect(kube.events.map((e) => e.reason)).toEqual(['NodeManagerDrain', 'NodeManagerUncordon']);
  });

  it('keeps the node out of service when AWS reschedules the event (a new NotBefore), and undoes once that one is cancelled', async ({ expect, onTestFinished }) => {
    const { imds, kube, start, until } = await setup(onTestFinished);
    const d = start({ ACT_ON: 'scheduled-maintenance', LABEL_LIFECYCLE: 'false' });
    imds.setScheduledEvents(maintenance('active'));
    await d.waitForLog((l) => l.msg === 'drain finished');
    imds.setScheduledEvents([{ ...maintenance('active')[0], NotBefore: '24 Nov 2026 02:00:00 GMT' }]);
    await d.waitForLog((l) => l.msg === 'notice no longer in IMDS (cancelled, completed or rescheduled)');
    await until(() => imds.count('events/maintenance/scheduled') > 20, 'more polls');
    expect(d.logs.find((l) => l.msg === 'notice no longer in IMDS (cancelled, completed or rescheduled)')).toMatchObject({ stillOutOfService: true });
    expect(kube.node.spec.unschedulable).toBe(true);
    expect(d.logs.some((l) => l.msg === 'notice cancelled: node back in service')).toBe(false);

    imds.setScheduledEvents([]);
    await d.waitForLog((l) => l.msg === 'notice cancelled: node back in service');
    expect(kube.node.spec.unschedulable).toBeUndefined();
    expect(kube.node.spec.taints.map((t: { key: string }) => t.key)).toEqual(['existing/taint']);
  });

  it("leaves an operator's cordon and load-balancer label in place when undoing", async ({ expect, onTestFinished }) => {
    const { imds, kube, start } = await setup(onTestFinished);
    kube.node.spec.unschedulable = true;
    kube.node.metadata.labels['node.kubernetes.io/exclude-from-external-load-balancers'] = 'true';
    const d = start({ ACT_ON: 'scheduled-maintenance', LABEL_LIFECYCLE: 'false', CORDON_ONLY: 'true' });
    imds.setScheduledEvents(maintenance('active'));
    await d.waitForLog((l) => l.msg === 'drain finished');
    expect(kube.podNames()).toEqual(['shop/web-1']); // cordon-only: nothing evicted
    imds.setScheduledEvents([]); // the event vanished
    await d.waitForLog((l) => l.msg === 'notice cancelled: node back in service');
    expect(kube.node.spec.unschedulable).toBe(true);
    expect(kube.node.metadata.labels['node.kubernetes.io/exclude-from-external-load-balancers']).toBe('true');
    expect(kube.node.spec.taints.map((t: { key: string }) => t.key)).toEqual(['existing/taint']);
  });

  it('after a restart (maintenance reboot), undoes its earlier marks once IMDS no longer lists the event', async ({ expect, onTestFinished }) => {
    const { imds, lambda, kube, start, until } = await setup(onTestFinished);
    kube.node.spec.unschedulable = true;
    kube.node.spec.taints.push({ key: 'spot-ready-eks/interruption', value: 'true', effect: 'NoSchedule' });
    kube.node.metadata.annotations = {
      [APPLIED]: JSON.stringify({ noticeKey: `${imds.instanceId}/scheduled-maintenance/2026-11-22T14:00:00.000Z`, signal: 'scheduled-maintenance', cordoned: true, taint: true, lbLabel: false }),
    };
    const d = start({ ACT_ON: 'scheduled-maintenance', LABEL_LIFECYCLE: 'false' });
    imds.setScheduledEvents(maintenance('completed'));
    await d.waitForLog((l) => l.msg === 'notice cancelled: node back in service');
    expect(kube.node.spec.unschedulable).toBeUndefined();
    expect(kube.node.spec.taints.map((t: { key: string }) => t.key)).toEqual(['existing/taint']);
    // The marks say the Lambda was asked to act: it is told of the cancellation too, once.
    const [cancel] = await lambda.waitForInvocations(1);
    expect(cancel.payload).toMatchObject({ instanceId: imds.instanceId, signal: 'scheduled-maintenance', noticeTime: '2026-11-22T14:00:00.000Z', action: 'cancel' });
    await until(() => imds.count('events/maintenance/scheduled') > 20, 'more polls');
    expect(lambda.calls).toHaveLength(1);
  });
});
