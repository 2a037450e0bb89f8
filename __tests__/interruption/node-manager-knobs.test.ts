/**
 * NodeManager's knobs, synthesized: each lands where Kubernetes expects it, each bad value fails
 * at synth naming the prop.
 */
import { TerraformStack, Testing } from 'cdktf';
import { NodeManager, type NodeManagerProps } from '../../constructs/interruption/node-manager';
import { only, resources, synthJson } from '../support/synth';
import { minimalProps } from './node-manager-props';

function synth(knobs: Partial<NodeManagerProps> = {}, kubernetesVersion?: string) {
  const stack = new TerraformStack(Testing.app(), 'nm');
  new NodeManager(stack, 'nm', { ...minimalProps(stack, kubernetesVersion), ...knobs });
  const tf = synthJson(stack);
  const pod = only(tf, 'kubernetes_daemon_set_v1').spec.template.spec;
  const container = pod.container[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.value_from]));
  return { tf, pod, container, env };
}

const synthError = (knobs: Partial<NodeManagerProps>, kubernetesVersion?: string): string => {
  try {
    synth(knobs, kubernetesVersion);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected synth to fail');
};

describe('NodeManager knobs', () => {
  it('defaults: drain with a NoSchedule taint, events, lifecycle label, /metrics on the node IP at 9400', () => {
    const { env, container, pod } = synth();
    expect(env).toMatchObject({
      DRAIN_ENABLED: 'true',
      CORDON_ONLY: 'false',
      TAINT_EFFECT: 'NoSchedule',
      EMIT_KUBERNETES_EVENTS: 'true',
      LABEL_LIFECYCLE: 'true',
      HTTP_PORT: '9400',
      HTTP_HOST: { field_ref: { field_path: 'status.hostIP' } },
    });
    expect(env).not.toHaveProperty('POD_TERMINATION_GRACE_PERIOD_SECONDS');
    expect(env).not.toHaveProperty('WEBHOOK_URL');
    expect(env).not.toHaveProperty('REDELIVERY_PAUSE_MS'); // the daemon's defaults: 1000, up to 30000
    expect(env).not.toHaveProperty('REDELIVERY_MAX_PAUSE_MS');
    expect(container.port).toEqual([{ name: 'metrics', container_port: 9400, protocol: 'TCP' }]);
    expect(pod.priority_class_name).toBe('system-node-critical');
    expect(pod.node_selector).toBeUndefined();
  });

  it('cordon-only: the env says so and RBAC drops pod listing and evictions', () => {
    const { env, tf } = synth({ cordonOnly: true });
    expect(env.CORDON_ONLY).toBe('true');
    expect(only(tf, 'kubernetes_cluster_role_v1').rule).toEqual([
      { api_groups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
      { api_groups: [''], resources: ['events'], verbs: ['create'] },
    ]);
  });

  it('taint effect, grace periods, events, label: into the environment', () => {
    const { env, tf } = synth({
      taintEffect: 'NoExecute',
      podTerminationGracePeriodSeconds: 20,
      nodeTerminationGracePeriodSeconds: 300,
      emitKubernetesEvents: false,
      labelLifecycle: false,
    });
    expect(env).toMatchObject({
      TAINT_EFFECT: 'NoExecute',
      POD_TERMINATION_GRACE_PERIOD_SECONDS: '20',
      NODE_TERMINATION_GRACE_PERIOD_SECONDS: '300',
      EMIT_KUBERNETES_EVENTS: 'false',
      LABEL_LIFECYCLE: 'false',
    });
    expect(only(tf, 'kubernetes_cluster_role_v1').rule.map((r: any) => r.resources[0])).toEqual(['nodes', 'pods', 'pods/eviction']);
  });

  it('redelivery pauses: into the environment', () => {
    expect(synth({ redeliveryPauseMs: 500, redeliveryMaxPauseMs: 120_000 }).env).toMatchObject({ REDELIVERY_PAUSE_MS: '500', REDELIVERY_MAX_PAUSE_MS: '120000' });
    const onlyPause = synth({ redeliveryPauseMs: 2000 }).env;
    expect(onlyPause.REDELIVERY_PAUSE_MS).toBe('2000');
    expect(onlyPause).not.toHaveProperty('REDELIVERY_MAX_PAUSE_MS');
  });

  it('metrics port: the env, the container port and both probes', () => {
    const { env, container } = synth({ metricsPort: 9520 });
    expect(env.HTTP_PORT).toBe('9520');
    expect(container.port[0].container_port).toBe(9520);
    expect(container.liveness_probe.http_get.port).toBe('9520');
    expect(container.readiness_probe.http_get.port).toBe('9520');
  });

  it('webhook: the URL from a Secret key (never a literal), the template as env', () => {
    const { env } = synth({ webhook: { secretName: 'ops-webhook', template: '{"text":"{{signal}} on {{nodeName}}"}' } });
    expect(env.WEBHOOK_URL).toEqual({ secret_key_ref: { name: 'ops-webhook', key: 'url' } });
    expect(env.WEBHOOK_TEMPLATE).toBe('{"text":"{{signal}} on {{nodeName}}"}');
  });

  it('tolerations, resources, nodeSelector, priorityClassName and extra containers land in the pod spec', () => {
    const { pod, container } = synth({
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      resources: { requests: { cpu: '20m', memory: '80Mi' }, limits: { memory: '160Mi' } },
      nodeSelector: { 'kubernetes.io/arch': 'arm64' },
      priorityClassName: 'node-agents',
      extraContainers: [{ name: 'log-shipper', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0' }],
    });
    expect(pod.toleration).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
    expect(container.resources).toEqual({ requests: { cpu: '20m', memory: '80Mi' }, limits: { memory: '160Mi' } });
    expect(pod.node_selector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(pod.priority_class_name).toBe('node-agents');
    expect(pod.container.map((c: any) => c.name)).toEqual(['node-manager', 'log-shipper']);
  });

  it('a second node-manager in another namespace gets its own cluster-scoped role and policy', () => {
    const { tf } = synth({ namespace: 'node-manager-canary' });
    expect(only(tf, 'kubernetes_cluster_role_v1').metadata.name).toBe('node-manager-node-manager-canary');
    const policy = resources(tf, 'kubernetes_manifest').find((m) => m.manifest.kind === 'ValidatingAdmissionPolicy')!.manifest;
    expect(policy.metadata.name).toBe('node-manager-node-manager-canary-own-node');
    expect(policy.spec.matchConditions[0].expression).toContain("'system:serviceaccount:node-manager-canary:node-manager'");
  });

  it('the admission policy by default, none on request', () => {
    expect(resources(synth({ admissionPolicy: false }).tf, 'kubernetes_manifest')).toHaveLength(0);
    expect(resources(synth().tf, 'kubernetes_manifest').map((m) => m.manifest.kind).sort()).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
  });

  it.each<[string, Partial<NodeManagerProps>, RegExp]>([
    ['cordonOnly without drain', { cordonOnly: true, drain: false }, /^NodeManager\.cordonOnly: .*Fix: set drain: true/],
    ['taintEffect', { taintEffect: 'NoWay' as never }, /^NodeManager\.taintEffect: must be one of NoSchedule, PreferNoSchedule, NoExecute \(got 'NoWay'\)/],
    ['podTerminationGracePeriodSeconds', { podTerminationGracePeriodSeconds: -1 }, /^NodeManager\.podTerminationGracePeriodSeconds: must be a whole number from 0 to 3600/],
    ['nodeTerminationGracePeriodSeconds', { nodeTerminationGracePeriodSeconds: 2.5 }, /^NodeManager\.nodeTerminationGracePeriodSeconds: must be a whole number from 10 to 86400/],
    ['pollIntervalMs', { pollIntervalMs: 50 }, /^NodeManager\.pollIntervalMs: must be a whole number from 100 to 60000/],
    ['actOn', { actOn: ['reboot' as never] }, /^NodeManager\.actOn: must list at least one of spot-interruption/],
    ['redeliveryPauseMs', { redeliveryPauseMs: 50 }, /^NodeManager\.redeliveryPauseMs: must be a whole number from 100 to 60000 \(got 50\)\. Fix: use a value in 100\.\.60000\.$/],
    ['redeliveryMaxPauseMs', { redeliveryMaxPauseMs: 1.5 }, /^NodeManager\.redeliveryMaxPauseMs: must be a whole number from 100 to 600000/],
    ['redeliveryMaxPauseMs below redeliveryPauseMs', { redeliveryPauseMs: 5000, redeliveryMaxPauseMs: 2000 }, /^NodeManager\.redeliveryMaxPauseMs: redeliveryMaxPauseMs \(2000\) is below redeliveryPauseMs \(5000\)\. Fix: set redeliveryMaxPauseMs at least/],
    ['redeliveryPauseMs above the default redeliveryMaxPauseMs', { redeliveryPauseMs: 40_000 }, /^NodeManager\.redeliveryPauseMs: redeliveryMaxPauseMs \(30000, the default\) is below redeliveryPauseMs \(40000\)/],
    ['metricsPort', { metricsPort: 80 }, /^NodeManager\.metricsPort: must be a whole number from 1024 to 65535/],
    ['resources', { resources: { limits: { memory: '128 MB' } } }, /^NodeManager\.resources\.limits\.memory: '128 MB' is not a Kubernetes quantity/],
    ['nodeSelector', { nodeSelector: { 'bad key!': 'x' } }, /^NodeManager\.nodeSelector\['bad key!'\]: /],
    ['priorityClassName', { priorityClassName: 'Node_Critical' }, /^NodeManager\.priorityClassName: 'Node_Critical' is not a PriorityClass name/],
    ['extraContainers', { extraContainers: [{ name: 'node-manager', image: 'x' }] }, /^NodeManager\.extraContainers\[0\]\.name: 'node-manager' is empty or already used/],
    ['webhook.secretName', { webhook: { secretName: 'Ops Hook' } }, /^NodeManager\.webhook\.secretName: 'Ops Hook' is not a Secret name/],
    ['webhook.template placeholder', { webhook: { secretName: 'h', template: '{"text":"{{url}}"}' } }, /^NodeManager\.webhook\.template: unknown placeholder \{\{url\}\}/],
    ['webhook.template JSON', { webhook: { secretName: 'h', template: 'text={{signal}}' } }, /^NodeManager\.webhook\.template: must be a JSON body/],
  ])('fails at synth naming %s', (_, knobs, message) => {
    expect(synthError(knobs)).toMatch(message);
  });

  it('fails naming admissionPolicy on a cluster older than 1.30, unless turned off', () => {
    expect(synthError({}, '1.29')).toMatch(/^NodeManager\.admissionPolicy: the own-node policy needs Kubernetes 1\.30\+ and the cluster runs 1\.29/);
    expect(() => synth({ admissionPolicy: false }, '1.29')).not.toThrow();
    expect(() => synth({}, '1.30')).not.toThrow();
  });
});
