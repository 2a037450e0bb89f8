/**
 * The admission policy AS SYNTHESIZED (read out of the workloads stack's JSON), evaluated with a
 * real CEL evaluator over admission requests like the API server sends them.
 */
import fc from 'fast-check';
import { only, resources, synthPlatform } from '../support/synth';
import { evaluatePolicy, type AdmissionRequest } from './admission-eval';

const NODE = 'ip-10-0-1-23.eu-west-1.compute.internal';
const OTHER = 'ip-10-0-9-99.eu-west-1.compute.internal';
const TAINT = { key: 'spot-ready-eks/interruption', value: 'true', effect: 'NoSchedule' };

describe('node-manager admission policy (synthesized, evaluated as CEL)', () => {
  const { workloads } = synthPlatform();
  const manifests = resources(workloads, 'kubernetes_manifest').map((m) => m.manifest);
  const policy = manifests.find((m) => m.kind === 'ValidatingAdmissionPolicy');
  const binding = manifests.find((m) => m.kind === 'ValidatingAdmissionPolicyBinding');
  const sa = only(workloads, 'kubernetes_service_account_v1');
  const namespace = only(workloads, 'kubernetes_namespace_v1').metadata.name;
  const username = `system:serviceaccount:${namespace}:${sa.metadata.name}`;
  const token = { 'authentication.kubernetes.io/node-name': [NODE], 'authentication.kubernetes.io/pod-name': ['node-manager-x'] };

  const node = (name: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string>; taints?: object[]; unschedulable?: boolean } = {}) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { providerID: 'aws:///eu-west-1a/i-0123', ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
  });
  const patchNode = (name: string, before: object, after: object, extra: Record<string, string[]> = token): AdmissionRequest => ({
    operation: 'UPDATE', group: '', resource: 'nodes', name, username, extra, oldObject: before, object: after,
  });
  const pod = (nodeName: string) => ({ metadata: { name: 'web-1', namespace: 'shop' }, spec: { nodeName } });
  const cordoned = (name: string) =>
    node(name, {
      labels: { 'node-lifecycle': 'spot', 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' },
      annotations: { 'spot-ready-eks/node-manager-applied': '{}' },
      taints: [TAINT],
      unschedulable: true,
    });

  it('is an admissionregistration.k8s.io/v1 policy, failing closed, bound with Deny, for node-manager only', () => {
    expect(policy).toMatchObject({ apiVersion: 'admissionregistration.k8s.io/v1', spec: { failurePolicy: 'Fail' } });
    expect(binding).toMatchObject({ apiVersion: 'admissionregistration.k8s.io/v1', spec: { policyName: policy.metadata.name, validationActions: ['Deny'] } });
    expect(policy.spec.matchConditions.map((c: { expression: string }) => c.expression).join()).toContain(`'${username}'`);
    const ids = Object.entries(workloads.resource!.kubernetes_manifest);
    const [bindingId] = ids.find(([, m]) => m.manifest.kind === 'ValidatingAdmissionPolicyBinding')!;
    const [policyId] = ids.find(([, m]) => m.manifest.kind === 'ValidatingAdmissionPolicy')!;
    expect(workloads.resource!.kubernetes_manifest[bindingId].depends_on).toEqual([`kubernetes_manifest.${policyId}`]);
  });

  it('lets node-manager cordon, taint and label its own node, and undo it', () => {
    expect(evaluatePolicy(policy, patchNode(NODE, node(NODE), cordoned(NODE)))).toEqual({ matched: true, allowed: true, denials: [] });
    expect(evaluatePolicy(policy, patchNode(NODE, cordoned(NODE), node(NODE, { labels: { 'node-lifecycle': 'spot' } })))).toMatchObject({ allowed: true });
  });

  it('denies a patch of another node', () => {
    const verdict = evaluatePolicy(policy, patchNode(OTHER, node(OTHER), cordoned(OTHER)));
    expect(verdict).toMatchObject({ matched: true, allowed: false });
    expect(verdict.matched && verdict.denials.join()).toMatch(/only its own node/);
  });

  it('denies every request from a token bound to no node (old cluster, hand-minted token)', () => {
    const verdict = evaluatePolicy(policy, patchNode(NODE, node(NODE), cordoned(NODE), {}));
    expect(verdict).toMatchObject({ allowed: false });
    expect(verdict.matched && verdict.denials.join()).toMatch(/token bound to its node/);
  });

  it('denies creating or deleting a node, even its own', () => {
    expect(evaluatePolicy(policy, { operation: 'DELETE', group: '', resource: 'nodes', name: NODE, username, extra: token, oldObject: node(NODE) })).toMatchObject({ allowed: false });
    expect(evaluatePolicy(policy, { operation: 'CREATE', group: '', resource: 'nodes', name: NODE, username, extra: token, object: node(NODE) })).toMatchObject({ allowed: false });
  });

  it('on its own node, changes only the labels, annotations and taints it manages', () => {
    const foreignLabel = patchNode(NODE, node(NODE), node(NODE, { labels: { 'node-role.kubernetes.io/ingress': 'true' } }));
    // Each refused by exactly its own rule (not by an evaluation error, which would also deny).
    expect(evaluatePolicy(policy, foreignLabel)).toEqual({ matched: true, allowed: false, denials: [expect.stringMatching(/only the node labels node-lifecycle/)] });
    const removesTaint = patchNode(NODE, node(NODE, { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), node(NODE));
    expect(evaluatePolicy(policy, removesTaint)).toEqual({ matched: true, allowed: false, denials: [expect.stringMatching(/only the taints spot-ready-eks/)] });
    const foreignAnnotation = patchNode(NODE, node(NODE), node(NODE, { annotations: { 'cluster-autoscaler.kubernetes.io/scale-down-disabled': 'true' } }));
    expect(evaluatePolicy(policy, foreignAnnotation)).toEqual({ matched: true, allowed: false, denials: [expect.stringMatching(/only the node annotations/)] });
  });

  it('property: whatever else the node carries, adding its own marks is allowed and touching one foreign label is not', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}(\/[a-z][a-z0-9-]{0,20})?$/).filter((k) => !k.startsWith('node-lifecycle') && !k.startsWith('spot-ready-eks'));
    const labels = fc.dictionary(key, fc.stringMatching(/^[a-z0-9]{0,10}$/), { maxKeys: 6 });
    const taints = fc.array(fc.record({ key, value: fc.stringMatching(/^[a-z0-9]{0,6}$/), effect: fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule') }), { maxLength: 4 });
    fc.assert(
      fc.property(labels, taints, key, (l, t, changed) => {
        const before = node(NODE, { labels: l, taints: t });
        const after = node(NODE, { labels: { ...l, 'node-lifecycle': 'on-demand' }, taints: [...t, TAINT], unschedulable: true });
        const allowed = evaluatePolicy(policy, patchNode(NODE, before, after));
        const tampered = node(NODE, { labels: { ...l, [changed]: `${l[changed] ?? ''}x` }, taints: t });
        const denied = evaluatePolicy(policy, patchNode(NODE, before, tampered));
        return allowed.matched && allowed.allowed && denied.matched && denied.denials.length === 1 && /node labels/.test(denied.denials[0]);
      }),
      { numRuns: 60 },
    );
  });

  it("deletes only its own node's pods, never another node's", () => {
    const del = (nodeName: string): AdmissionRequest => ({ operation: 'DELETE', group: '', resource: 'pods', name: 'web-1', namespace: 'shop', username, extra: token, oldObject: pod(nodeName) });
    expect(evaluatePolicy(policy, del(NODE))).toMatchObject({ allowed: true });
    expect(evaluatePolicy(policy, del(OTHER))).toEqual({ matched: true, allowed: false, denials: [expect.stringMatching(/only pods on its own node/)] });
  });

  it('records events only about its own node', () => {
    const event = (name: string, group = ''): AdmissionRequest => ({
      operation: 'CREATE', group, resource: 'events', name: 'e', namespace: 'default', username, extra: token,
      object: group ? { regarding: { kind: 'Node', name } } : { involvedObject: { kind: 'Node', name } },
    });
    expect(evaluatePolicy(policy, event(NODE))).toMatchObject({ allowed: true });
    expect(evaluatePolicy(policy, event(OTHER))).toMatchObject({ allowed: false });
    expect(evaluatePolicy(policy, event(OTHER, 'events.k8s.io'))).toMatchObject({ allowed: false });
  });

  it('requires a node-bound token for evictions; the pod behind an eviction is not visible to admission (PDB-bounded)', () => {
    const evict = (extra: Record<string, string[]>): AdmissionRequest => ({
      operation: 'CREATE', group: '', resource: 'pods', subResource: 'eviction', name: 'web-1', namespace: 'shop', username, extra,
      object: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'shop' } },
    });
    expect(evaluatePolicy(policy, evict(token))).toMatchObject({ allowed: true });
    expect(evaluatePolicy(policy, evict({}))).toMatchObject({ allowed: false });
  });

  it('leaves everyone else alone (the kubelet, controllers, admins)', () => {
    const kubelet = { ...patchNode(OTHER, node(OTHER), cordoned(OTHER)), username: `system:node:${OTHER}` };
    expect(evaluatePolicy(policy, kubelet)).toEqual({ matched: false });
  });
});
