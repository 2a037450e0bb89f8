/**
 * The daemon and its admission policy agree: every node patch and event the REAL daemon sends —
 * lifecycle label, cordon with taint and marks, undo, events — is allowed by the policy AS
 * SYNTHESIZED (CEL-evaluated), and the same requests aimed at another node are refused. A key the
 * daemon starts writing without the policy allowing it fails here, not in a cluster.
 */
import { synthPlatform, resources } from '../support/synth';
import { evaluatePolicy, type AdmissionRequest } from '../interruption/admission-eval';
import { FakeImds } from '../fakes/imds';
import { FakeKubeApi } from '../fakes/kube-api';
import { FakeLambdaEndpoint } from '../fakes/lambda-endpoint';
import { DaemonProcess, testEnv } from './helpers/daemon-process';
import { until } from './helpers/waits';

const NODE = 'ip-10-0-1-23.eu-west-1.compute.internal';
const USER = 'system:serviceaccount:node-manager:node-manager';
const TOKEN = { 'authentication.kubernetes.io/node-name': [NODE] };

describe("the daemon's requests under its admission policy", () => {
  const policy = resources(synthPlatform().workloads, 'kubernetes_manifest').find((m) => m.manifest.kind === 'ValidatingAdmissionPolicy')!.manifest;
  let imds: FakeImds;
  let lambda: FakeLambdaEndpoint;
  let kube: FakeKubeApi;
  let daemon: DaemonProcess | undefined;

  beforeEach(async () => {
    [imds, lambda, kube] = await Promise.all([
      FakeImds.start({ lifeCycle: 'on-demand' }),
      FakeLambdaEndpoint.start(),
      FakeKubeApi.start(NODE, [{ namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet' }]),
    ]);
    kube.node.metadata.labels['node-lifecycle'] = 'spot'; // a lying template label
  });
  afterEach(async () => {
    await daemon?.stop();
    await Promise.all([imds.close(), lambda.close(), kube.close()]);
  });

  it('allows the label, the cordon with its marks, the undo and every event on its own node; refuses them on another', async () => {
    daemon = DaemonProcess.spawn(
      testEnv({
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
        DRAIN_ENABLED: 'true',
        NODE_NAME: NODE,
        KUBECONFIG: kube.writeKubeconfig(),
        ACT_ON: 'scheduled-maintenance',
        TAINT_EFFECT: 'NoExecute',
      }),
    );
    await daemon.waitForLog((l) => l.msg === 'node labelled with its lifecycle');
    imds.setScheduledEvents([{ Code: 'instance-retirement', NotBefore: '22 Nov 2026 14:00:00 GMT', State: 'active' }]);
    await daemon.waitForLog((l) => l.msg === 'drain finished');
    imds.setScheduledEvents([{ Code: 'instance-retirement', NotBefore: '22 Nov 2026 14:00:00 GMT', State: 'canceled' }]);
    await daemon.waitForLog((l) => l.msg === 'notice cancelled: node back in service');
    await until(() => kube.events.length >= 3, 'an Event for the label, the drain and the undo', { timeoutMs: 5_000 });

    expect(kube.nodeUpdates).toHaveLength(3); // label, cordon, undo
    expect(kube.events.map((e) => e.reason)).toEqual(['NodeManagerLifecycleLabel', 'NodeManagerDrain', 'NodeManagerUncordon']);
    const update = (u: (typeof kube.nodeUpdates)[number], name: string): AdmissionRequest => ({
      operation: 'UPDATE', group: '', resource: 'nodes', name, username: USER, extra: TOKEN,
      oldObject: { ...u.oldObject, metadata: { ...u.oldObject.metadata, name } },
      object: { ...u.object, metadata: { ...u.object.metadata, name } },
    });
    const event = (e: Record<string, any>, name: string): AdmissionRequest => ({
      operation: 'CREATE', group: '', resource: 'events', name: '', namespace: 'default', username: USER, extra: TOKEN,
      object: { ...e, involvedObject: { ...e.involvedObject, name } },
    });
    for (const u of kube.nodeUpdates) {
      expect(evaluatePolicy(policy, update(u, NODE))).toEqual({ matched: true, allowed: true, denials: [] });
      expect(evaluatePolicy(policy, update(u, 'ip-10-0-9-99.eu-west-1.compute.internal'))).toMatchObject({ matched: true, allowed: false });
    }
    for (const e of kube.events) {
      expect(evaluatePolicy(policy, event(e, NODE))).toEqual({ matched: true, allowed: true, denials: [] });
      expect(evaluatePolicy(policy, event(e, 'ip-10-0-9-99.eu-west-1.compute.internal'))).toMatchObject({ allowed: false });
    }
  });
});
