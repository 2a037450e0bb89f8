/**
 * Draining through the Kubernetes API: the real daemon with DRAIN_ENABLED, a kubeconfig pointing
 * at a fake API server, and a spot notice in the fake IMDS.
 */
import type { FakePod } from '../fakes/kube-api';
import { startHarness, type OnFinished } from './helpers/daemon-harness';
import { imdsPolls } from './helpers/waits';

const NODE = 'ip-10-0-1-23.eu-west-1.compute.internal';
const PODS: FakePod[] = [
  { namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet' },
  { namespace: 'shop', name: 'web-2', ownerKind: 'ReplicaSet' },
  { namespace: 'kube-system', name: 'aws-node-x1', ownerKind: 'DaemonSet' },
  { namespace: 'kube-system', name: 'kube-proxy-static', mirror: true },
  { namespace: 'batch', name: 'bare-pod' },
];

const spotSoon = () => ({ action: 'terminate' as const, time: new Date(Date.now() + 120_000).toISOString() });

/** Fake IMDS, Lambda and Kubernetes API for this test; every spawn drains through the fake API. */
async function setup(onTestFinished: OnFinished) {
  const nm = await startHarness(onTestFinished, {
    kube: { node: NODE, pods: PODS },
    env: { LABEL_LIFECYCLE: 'false' }, // node-marks.test.ts covers the label
  });
  return { imds: nm.imds, lambda: nm.lambda, kube: nm.kube, start: (overrides: Record<string, string> = {}) => nm.spawn(overrides) };
}

describe.concurrent('node-manager drain', () => {
  const loadedDrain = (l: { msg: string }) => l.msg === 'drain code loaded';

  it('stops at start, naming KUBECONFIG, when the kubeconfig file cannot be read', async ({ expect, onTestFinished }) => {
    const { start } = await setup(onTestFinished);
    const d = start({ KUBECONFIG: '/nonexistent/kubeconfig' });
    expect(await d.exited).toBe(1);
    expect(d.stderr).toMatch(/KUBECONFIG: cannot read \/nonexistent\/kubeconfig \(ENOENT\)/);
    expect(d.logs.find((l) => l.msg === 'node-manager started')).toBeUndefined();
  });

  it('loads the drain code only for a drain, after the Lambda has the notice', async ({ expect, onTestFinished }) => {
    const { imds, lambda, start } = await setup(onTestFinished);
    const d = start();
    imds.setRebalanceRecommendation({ noticeTime: '2026-11-22T11:50:00Z' }); // report only: no drain
    await lambda.waitForInvocations(1);
    await imdsPolls(imds, 'events/recommendations/rebalance', 3);
    expect(d.logs.filter(loadedDrain)).toEqual([]);

    imds.setSpotAction(spotSoon());
    await d.waitForLog((l) => l.msg === 'drain finished');
    const delivered = d.logs.findIndex((l) => l.msg === 'notice delivered to the termination Lambda' && l.signal === 'spot-interruption');
    expect(delivered).toBeGreaterThanOrEqual(0);
    expect(d.logs.findIndex(loadedDrain)).toBeGreaterThan(delivered);
    expect(d.logs.filter(loadedDrain)).toHaveLength(1);
  });

  it('does not drain for a report-only signal', async ({ expect, onTestFinished }) => {
    const { imds, lambda, kube, start } = await setup(onTestFinished);
    start();
    imds.setRebalanceRecommendation({ noticeTime: '2026-11-22T11:50:00Z' });
    await lambda.waitForInvocations(1);
    await imdsPolls(imds, 'events/recommendations/rebalance', 5); // the notice seen again, still no drain
    expect(kube.mutations()).toEqual([]);
    // Only the read of earlier node-manager marks at start: no pod listed, no patch.
    expect(kube.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v1/nodes/${NODE}`]);
  });

  it('cordons, taints and labels the node, evicts all but DaemonSet and mirror pods, retrying a PDB 429', async ({ expect, onTestFinished }) => {
    const { imds, lambda, kube, start } = await setup(onTestFinished);
    kube.blockEviction('shop/web-2', 2);
    const d = start();
    imds.setSpotAction(spotSoon());
    const finished = await d.waitForLog((l) => l.msg === 'drain finished');

    expect(finished).toMatchObject({ result: 'complete', cordoned: true, failed: [] });
    expect(kube.node.spec).toEqual({
      unschedulable: true,
      taints: [
        { key: 'existing/taint', value: 'x', effect: 'PreferNoSchedule' }, // someone else's taint survives
        { key: 'spot-ready-eks/interruption', value: 'true', effect: 'NoSchedule' },
      ],
    });
    expect(kube.node.metadata.labels).toEqual({
      'kubernetes.io/hostname': NODE,
      'node.kubernetes.io/exclude-from-external-load-balancers': 'true',
    });
    expect(kube.podNames()).toEqual(['kube-system/aws-node-x1', 'kube-system/kube-proxy-static']);

    const evictions = kube.requests.filter((r) => r.path.endsWith('/eviction')).map((r) => `${r.path.split('/')[6]}:${r.status}`);
    expect(evictions.filter((e) => e.startsWith('web-2'))).toEqual(['web-2:429', 'web-2:429', 'web-2:201']);
    expect(evictions.filter((e) => !e.startsWith('web-2')).sort()).toEqual(['bare-pod:201', 'web-1:201']);
    expect(d.logs.filter((l) => l.msg === 'eviction blocked by a disruption budget, retrying')).toHaveLength(2);
    expect(lambda.invocations).toHaveLength(1);
  });

  it('reads the node again and re-patches when another writer changed it first (409)', async ({ expect, onTestFinished }) => {
    const { imds, kube, start } = await setup(onTestFinished);
    kube.conflictNextPatches(1);
    const d = start();
    imds.setSpotAction(spotSoon());
    await d.waitForLog((l) => l.msg === 'drain finished');
    expect(kube.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([409, 200]);
    // One read of earlier marks at start, then the cordon's read, and its read again after the 409.
    expect(kube.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/nodes/'))).toHaveLength(3);
    expect(kube.node.spec.unschedulable).toBe(true);
  });

  it('DRY_RUN reads the node and its pods but changes nothing', async ({ expect, onTestFinished }) => {
    const { imds, lambda, kube, start } = await setup(onTestFinished);
    const d = start({ DRY_RUN: 'true' });
    imds.setSpotAction(spotSoon());
    const finished = await d.waitForLog((l) => l.msg === 'drain finished');
    expect(finished).toMatchObject({ result: 'dry-run' });
    expect(kube.requests.length).toBeGreaterThan(0);
    expect(kube.mutations()).toEqual([]);
    expect(kube.podNames()).toHaveLength(PODS.length);
    const wouldEvict = d.logs.filter((l) => l.msg === 'dry run: would evict pod').map((l) => l.pod);
    expect(wouldEvict.sort()).toEqual(['batch/bare-pod', 'shop/web-1', 'shop/web-2']);
    expect(d.logs.some((l) => l.msg === 'dry run: would cordon, taint and label the node')).toBe(true);
    expect((await lambda.waitForInvocations(1))[0].payload).toMatchObject({ action: 'report' });
  });
});
