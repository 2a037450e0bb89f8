import { TerraformStack, Testing } from 'cdktf';
import { NodeManager } from '../../constructs/interruption/node-manager';
import { loadPlatformConfig } from '../../constructs/platform/config';
import { only, resources, synthJson, synthPlatform } from '../support/synth';
import { minimalProps } from './node-manager-props';

describe('NodeManager', () => {
  const { workloads, cluster } = synthPlatform();
  const ds = only(workloads, 'kubernetes_daemon_set_v1');
  const pod = ds.spec.template.spec;
  const container = pod.container[0];

  it('runs one pod on every Linux EC2 node, tolerating every taint, as node-critical', () => {
    expect(pod.toleration).toEqual([{ operator: 'Exists' }]);
    expect(pod.priority_class_name).toBe('system-node-critical');
    const terms = pod.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term[0].match_expressions;
    expect(terms).toContainEqual({ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] });
    expect(terms).toContainEqual(expect.objectContaining({ key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: expect.arrayContaining(['fargate']) }));
    expect(ds.spec.strategy.type).toBe('RollingUpdate');
  });

  it('uses the host network (IMDS at hop limit 1) and a restricted container', () => {
    expect(pod.host_network).toBe(true);
    expect(container.security_context).toMatchObject({
      run_as_non_root: true,
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(container.resources.limits).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(container.liveness_probe.http_get.path).toBe('/healthz');
    expect(container.readiness_probe.http_get.path).toBe('/healthz');
  });

  it('passes the node name from the downward API and the function ARN', () => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.value_from]));
    expect(env.NODE_NAME).toEqual({ field_ref: { field_path: 'spec.nodeName' } });
    expect(env.TERMINATION_FUNCTION_ARN).toMatch(/aws_lambda_function/);
    expect(env).toMatchObject({ POLL_INTERVAL_MS: '2000', DRAIN_ENABLED: 'true', ACT_ON: 'spot-interruption,asg-termination,instance-state-change' });
    expect(container.image).toMatch(/aws_ecr_repository.+repository_url\}:0\.1\.0$/);
  });

  it('binds its service account to a Pod Identity role', () => {
    const role = only(workloads, 'aws_iam_role');
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    // Only node-manager's own service account in this cluster may assume it.
    expect(trust.Condition.StringEquals).toEqual({
      'aws:RequestTag/eks-cluster-arn': expect.stringMatching(/aws_eks_cluster.+arn\}$/),
      'aws:RequestTag/kubernetes-namespace': 'node-manager',
      'aws:RequestTag/kubernetes-service-account': 'node-manager',
    });
    expect(only(workloads, 'aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'spot-ready',
      namespace: expect.stringMatching(/^\$\{kubernetes_namespace_v1\..+\.metadata\[0\]\.name\}$/),
      service_account: expect.stringMatching(/^\$\{kubernetes_service_account_v1\..+\.metadata\[0\]\.name\}$/),
      role_arn: expect.stringMatching(/^\$\{aws_iam_role\./),
    });
  });

  it('grants only cordon/drain RBAC: no get on pods, no delete, events in the core group only', () => {
    // asg: node-manager is the drainer (on karpenter it cordons only, without pods/eviction).
    const rules = only(synthPlatform({ capacityEngine: 'asg' }).workloads, 'kubernetes_cluster_role_v1').rule;
    expect(rules).toEqual([
      { api_groups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
      { api_groups: [''], resources: ['pods'], verbs: ['list'] },
      { api_groups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      { api_groups: [''], resources: ['events'], verbs: ['create'] },
    ]);
  });

  it('without drain still patches its own node for the lifecycle label; with neither, no RBAC and no token', () => {
    const noDrain = synthPlatform({ nodeManagerDrain: false }).workloads;
    expect(only(noDrain, 'kubernetes_cluster_role_v1').rule).toEqual([
      { api_groups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
      { api_groups: [''], resources: ['events'], verbs: ['create'] },
    ]);
    expect(resources(noDrain, 'kubernetes_manifest').map((m) => m.manifest.kind)).toContain('ValidatingAdmissionPolicy');
    const stack = new TerraformStack(Testing.app(), 'alone');
    new NodeManager(stack, 'nm', { ...minimalProps(stack), drain: false, labelLifecycle: false });
    const alone = synthJson(stack);
    expect(resources(alone, 'kubernetes_cluster_role_v1')).toHaveLength(0);
    expect(resources(alone, 'kubernetes_manifest')).toHaveLength(0);
    expect(only(alone, 'kubernetes_service_account_v1').automount_service_account_token).toBe(false);
  });

  it('stores its image in an immutable, scanned ECR repository with a lifecycle policy', () => {
    expect(only(cluster, 'aws_ecr_repository')).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true } });
    const rules = JSON.parse(only(cluster, 'aws_ecr_lifecycle_policy').policy).rules;
    expect(rules.map((r: any) => r.action.type)).toEqual(['expire', 'expire']);
  });

  it('takes its main knobs from the typed platform config, naming a bad field', () => {
    const env = {
      SPOT_EKS_CAPACITY_ENGINE: 'asg',
      SPOT_EKS_NODE_MANAGER_TAINT_EFFECT: 'NoExecute',
      SPOT_EKS_NODE_MANAGER_METRICS_PORT: '9520',
      SPOT_EKS_NODE_MANAGER_CORDON_ONLY: 'true',
      SPOT_EKS_NODE_MANAGER_POLL_INTERVAL_MS: '500',
      SPOT_EKS_NODE_MANAGER_REDELIVERY_PAUSE_MS: '250',
      SPOT_EKS_NODE_MANAGER_REDELIVERY_MAX_PAUSE_MS: '4000',
    };
    const tuned = synthPlatform(loadPlatformConfig(() => undefined, env)).workloads;
    const c = only(tuned, 'kubernetes_daemon_set_v1').spec.template.spec.container[0];
    const vars = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
    expect(vars).toMatchObject({ TAINT_EFFECT: 'NoExecute', HTTP_PORT: '9520', CORDON_ONLY: 'true', POLL_INTERVAL_MS: '500', REDELIVERY_PAUSE_MS: '250', REDELIVERY_MAX_PAUSE_MS: '4000' });
    expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_NODE_MANAGER_POLL_INTERVAL_MS: '50' })).toThrow(/nodeManagerPollIntervalMs/);
    expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_NODE_MANAGER_REDELIVERY_MAX_PAUSE_MS: '500' })).toThrow(
      /nodeManagerRedeliveryMaxPauseMs .*must be at least nodeManagerRedeliveryPauseMs \(1000\)/,
    );
    expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_NODE_MANAGER_TAINT_EFFECT: 'NoWay' })).toThrow(/nodeManagerTaintEffect/);
    expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_NODE_MANAGER_CORDON_ONLY: 'true', SPOT_EKS_NODE_MANAGER_DRAIN: 'false' })).toThrow(/nodeManagerCordonOnly .*: needs nodeManagerDrain/);
    expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_NODE_MANAGER_WEBHOOK_SECRET_NAME: 'Ops Hook' })).toThrow(/nodeManagerWebhookSecretName/);
  });

  it.each([
    ['karpenter', {}],
    ['asg', {}],
    ['spotinst', { spotinstAccount: 'act-12345678' }],
  ] as const)('under %s, runs on every node and labels it with the IMDS truth, allowed by its admission policy', (capacityEngine, extra) => {
    const w = synthPlatform({ capacityEngine, ...extra }).workloads;
    const spec = only(w, 'kubernetes_daemon_set_v1').spec.template.spec;
    const vars = Object.fromEntries(spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(vars.LABEL_LIFECYCLE).toBe('true');
    expect(spec.toleration).toEqual([{ operator: 'Exists' }]); // system-group and GPU taints included
    const terms = spec.affinity.node_affinity.required_during_scheduling_ignored_during_execution.node_selector_term[0].match_expressions;
    expect(terms.map((t: any) => t.key)).not.toContain('node-lifecycle'); // on-demand nodes too
    expect(only(w, 'kubernetes_cluster_role_v1').rule[0]).toEqual({ api_groups: [''], resources: ['nodes'], verbs: ['get', 'patch'] });
    const policy = resources(w, 'kubernetes_manifest').find((m) => m.manifest.kind === 'ValidatingAdmissionPolicy')!.manifest;
    expect(JSON.stringify(policy.spec.validations)).toContain("'node-lifecycle'");
  });
});
