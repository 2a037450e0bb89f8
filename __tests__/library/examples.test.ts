/**
 * Each example under examples/ is a consumer's app: it imports only 'spot-ready-eks' (mapped to
 * constructs/index.ts here, to the packed tarball in `npm run test:package`) and synthesizes.
 */
import { HANDLED_EVENT_KINDS } from '../../lambda/termination-handler/event-kinds';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { build as buildExistingCluster } from '../../examples/existing-cluster/main';
import { build as buildKarpenter } from '../../examples/karpenter-on-existing-cluster/main';
import { build as buildFullPlatform } from '../../examples/full-platform/main';
import { build as buildTunedPlatform } from '../../examples/tuned-platform/main';
import { build as buildReadme } from '../../examples/readme/main';
import { CONTEXT_KEYS as EXISTING_CLUSTER_KEYS } from '../../examples/existing-cluster/main';
import { CONTEXT_KEYS as KARPENTER_KEYS } from '../../examples/karpenter-on-existing-cluster/main';
import { AppSettingsError, checkContextKeys } from '../../constructs/platform/run-app';
import { only, resources, synthApp, type TfJson } from '../support/synth';

const EXAMPLES = ['existing-cluster', 'karpenter-on-existing-cluster', 'full-platform', 'readme', 'tuned-platform'];

function synthExample(build: (app: App) => unknown, context: Record<string, unknown>): Record<string, TfJson> {
  const app = Testing.app({ context });
  build(app);
  return synthApp(app);
}

const all = (stacks: Record<string, TfJson>, type: string) => Object.values(stacks).flatMap((tf) => resources(tf, type));

describe.each(EXAMPLES)('examples/%s', (name) => {
  const source = readFileSync(join(__dirname, '../../examples', name, 'main.ts'), 'utf8');
  const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);

  it('imports the constructs only from the package, never by a relative path', () => {
    expect(imports).toContain('spot-ready-eks');
    expect(imports.filter((from) => from.startsWith('.'))).toEqual([]);
  });

  // tuned-platform shows every knob (capacity, node-manager, cluster): a little more room.
  const maxLines = name === 'tuned-platform' ? 70 : 60;
  it(`stays a small app (≤ ${maxLines} lines of its own code)`, () => {
    const code = source.split('\n').filter((line) => line.trim() !== '' && !/^\s*(\/\*\*|\*|\/\/)/.test(line));
    expect(code.length).toBeLessThanOrEqual(maxLines);
  });

  it('has a cdktf.json that runs main.ts', () => {
    const cdktf = JSON.parse(readFileSync(join(__dirname, '../../examples', name, 'cdktf.json'), 'utf8'));
    expect(cdktf).toMatchObject({ language: 'typescript', app: 'npx tsx main.ts' });
  });
});

describe('examples/existing-cluster', () => {
  const stacks = synthExample(buildExistingCluster, { clusterName: 'legacy-prod', nodeRoleName: 'legacy-prod-workers' });
  const { 'interruption-aws': aws, 'interruption-kubernetes': kubernetes } = stacks;

  it('creates the termination pipeline: Lambda, its role and policy, one EventBridge rule per handled kind', () => {
    const fn = only(aws, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 'legacy-prod-termination-handler', runtime: 'nodejs22.x' });
    expect(fn.filename).toMatch(/^assets\//);
    expect(fn.role).toMatch(/aws_iam_role\.[\w-]+\.arn/);
    expect(resources(aws, 'aws_iam_role_policy').length).toBeGreaterThan(0);
    const detailTypes = resources(aws, 'aws_cloudwatch_event_rule').flatMap((r) => JSON.parse(r.event_pattern)['detail-type']);
    expect(detailTypes.sort()).toEqual(HANDLED_EVENT_KINDS.map((k) => k.detailType).sort());
  });

  it('runs node-manager as a DaemonSet on the looked-up cluster, invoking that Lambda', () => {
    const ds = only(kubernetes, 'kubernetes_daemon_set_v1');
    const env = Object.fromEntries(ds.spec.template.spec.container[0].env.map((e: any) => [e.name, e.value]));
    expect(env.TERMINATION_FUNCTION_ARN).toMatch(/terraform_remote_state|aws_lambda_function/);
    expect(only(kubernetes, 'aws_eks_pod_identity_association')).toMatchObject({ cluster_name: 'legacy-prod' });
    expect(Object.values(kubernetes.provider?.kubernetes ?? [])).toHaveLength(1);
  });

  it('looks the cluster up and never creates one', () => {
    expect(Object.values(aws.data?.aws_eks_cluster ?? {})).toEqual([expect.objectContaining({ name: 'legacy-prod' })]);
    expect(Object.values(aws.data?.aws_iam_role ?? {})).toEqual([expect.objectContaining({ name: 'legacy-prod-workers' })]);
    expect(all(stacks, 'aws_eks_cluster')).toEqual([]);
    expect(all(stacks, 'aws_vpc')).toEqual([]);
  });
});

describe('examples/karpenter-on-existing-cluster', () => {
  const stacks = synthExample(buildKarpenter, { clusterName: 'legacy-prod' });
  const manifests = all(stacks, 'kubernetes_manifest').map((m) => m.manifest);

  it('renders an EC2NodeClass and a NodePool per launch spec for that cluster', () => {
    const kinds = manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();
    // A spot pool and its on-demand twin per launch spec.
    expect(kinds).toEqual(['EC2NodeClass/batch', 'EC2NodeClass/general', 'NodePool/batch', 'NodePool/batch-od', 'NodePool/general', 'NodePool/general-od']);
    for (const nodeClass of manifests.filter((m) => m.kind === 'EC2NodeClass')) {
      // The looked-up subnet ids are one token list, so nodes find their subnets by the discovery tag.
      expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'legacy-prod' } }]);
      expect(nodeClass.spec.role).toMatch(/node-role/);
    }
  });

  it('installs Karpenter for that cluster, with its interruption queue, and no cluster of its own', () => {
    const release = only(stacks['karpenter-kubernetes'], 'helm_release');
    expect(release.values[0]).toMatch(/clusterName: legacy-prod/);
    expect(only(stacks['karpenter-aws'], 'aws_sqs_queue').name).toBe('legacy-prod-karpenter');
    expect(all(stacks, 'aws_eks_cluster')).toEqual([]);
  });
});

describe('examples/full-platform', () => {
  it('synthesizes the cluster and workloads stacks, as main.ts does', () => {
    const stacks = synthExample(buildFullPlatform, { clusterName: 'example' });
    expect(Object.keys(stacks).sort()).toEqual(['cluster', 'crds', 'workloads']);
    expect(only(stacks.cluster, 'aws_eks_cluster').name).toBe('example');
    expect(resources(stacks.workloads, 'kubernetes_daemon_set_v1')).toHaveLength(1);
  });
});

describe('examples/tuned-platform', () => {
  const stacks = synthExample(buildTunedPlatform, { clusterName: 'tuned', capacityEngine: 'karpenter' });
  const manifests = resources(stacks.workloads, 'kubernetes_manifest').map((m) => m.manifest);
  const pool = (name: string) => manifests.find((m) => m.kind === 'NodePool' && m.metadata.name === name).spec;
  const nodeClass = (name: string) => manifests.find((m) => m.kind === 'EC2NodeClass' && m.metadata.name === name).spec;

  it('renders its launch specs as spot NodePools with on-demand twins, weighted and limited', () => {
    expect(manifests.filter((m) => m.kind === 'NodePool').map((m) => m.metadata.name).sort()).toEqual(['data', 'data-od', 'general', 'general-od', 'gpu', 'gpu-od']);
    expect([pool('general').weight, pool('general-od').weight]).toEqual([70, 20]);
    expect(pool('data').limits).toEqual({ cpu: '128' });
    expect(pool('gpu').limits).toEqual({ cpu: '400', memory: '1600Gi' });
  });

  it('carries the inherited disruption, kubelet and AMI knobs, and the spec’s extra volume', () => {
    expect(pool('gpu').disruption.budgets).toHaveLength(2);
    expect(pool('gpu').template.spec).toMatchObject({ expireAfter: '336h', terminationGracePeriod: '1h' });
    expect(nodeClass('general').kubelet).toEqual({ maxPods: 58, kubeReserved: { cpu: '100m', memory: '512Mi' } });
    expect(nodeClass('general').amiSelectorTerms).toEqual([{ alias: 'al2023@v20260224' }]);
    expect(nodeClass('data').blockDeviceMappings.map((d: any) => d.deviceName)).toEqual(['/dev/xvda', '/dev/xvdc']);
  });

  it('keeps headroom, spot-to-spot consolidation and a managed system node group', () => {
    expect(resources(stacks.workloads, 'kubernetes_deployment_v1').map((d) => d.metadata.name).sort()).toEqual(['headroom-cluster', 'headroom-gpu']);
    const release = resources(stacks.workloads, 'helm_release').find((r) => r.chart === 'karpenter')!;
    expect(release.values[0]).toMatch(/spotToSpotConsolidation: true/);
    expect(only(stacks.cluster, 'aws_eks_node_group')).toMatchObject({ capacity_type: 'ON_DEMAND', taint: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }] });
  });
  it('passes its node-manager knobs to the DaemonSet, and the same act-on list to the Lambda', () => {
    const pod = only(stacks.workloads, 'kubernetes_daemon_set_v1').spec.template.spec;
    const [main, ...extra] = pod.container;
    const env = Object.fromEntries(main.env.map((e: any) => [e.name, e.value ?? e.value_from]));
    expect(env).toMatchObject({
      CORDON_ONLY: 'true',
      TAINT_EFFECT: 'NoSchedule',
      POD_TERMINATION_GRACE_PERIOD_SECONDS: '60',
      NODE_TERMINATION_GRACE_PERIOD_SECONDS: '600',
      EMIT_KUBERNETES_EVENTS: 'true',
      WEBHOOK_URL: { secret_key_ref: { name: 'node-manager-webhook', key: 'url' } },
      ACT_ON: 'spot-interruption,asg-termination,instance-state-change,scheduled-maintenance',
    });
    expect(only(stacks.cluster, 'aws_lambda_function').environment.variables.ACT_ON).toBe(env.ACT_ON);
    expect(main.resources).toEqual({ requests: { cpu: '20m', memory: '80Mi' }, limits: { cpu: '200m', memory: '160Mi' } });
    expect(extra.map((c: any) => c.name)).toEqual(['log-shipper']);
    expect(pod).toMatchObject({ priority_class_name: 'system-node-critical', toleration: [{ operator: 'Exists' }] });
  });

  it('passes its cluster knobs: a namespaced edit access entry, add-on settings, the VPN rule, a Fargate profile, tags', () => {
    const { cluster } = stacks;
    expect(only(cluster, 'aws_eks_access_policy_association')).toMatchObject({
      policy_arn: expect.stringMatching(/cluster-access-policy\/AmazonEKSEditPolicy$/),
      access_scope: { type: 'namespace', namespaces: ['apps', 'batch'] },
    });
    const addon = (name: string) => resources(cluster, 'aws_eks_addon').find((a) => a.addon_name === name)!;
    expect(JSON.parse(addon('coredns').configuration_values)).toEqual({ replicaCount: 3 });
    expect(addon('vpc-cni').pod_identity_association).toEqual([expect.objectContaining({ service_account: 'aws-node' })]);
    const cniRole = addon('vpc-cni').pod_identity_association[0].role_arn.replace(/\.arn\}$/, '.name}');
    expect(resources(cluster, 'aws_iam_role_policy_attachment').filter((a) => a.role === cniRole).map((a) => a.policy_arn)).toEqual([
      expect.stringMatching(/:iam::aws:policy\/AmazonEKS_CNI_Policy$/),
    ]);
    expect(only(cluster, 'aws_vpc_security_group_ingress_rule')).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: '10.200.0.0/16' });
    expect(only(cluster, 'aws_eks_fargate_profile')).toMatchObject({ fargate_profile_name: 'batch', selector: [{ namespace: 'batch', labels: { compute: 'fargate' } }] });
    expect(cluster.provider?.aws?.[0].default_tags[0].tags).toMatchObject({ team: 'platform', 'cost-center': 'cc-1234' });
  });
});

describe('examples/readme (the README library snippet)', () => {
  it('is the code the README shows, verbatim', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const source = readFileSync(join(__dirname, '../../examples/readme/main.ts'), 'utf8');
    const code = source.slice(source.indexOf('*/\n') + 3);
    expect(readme).toContain('```ts\n' + code + '```');
  });

  it('synthesizes two stacks, each with the providers its resources need', () => {
    const stacks = synthExample((app) => buildReadme(app), {});
    expect(Object.keys(stacks).sort()).toEqual(['interruption-aws', 'interruption-kubernetes']);
    expect(Object.keys(stacks['interruption-aws'].provider ?? {})).toEqual(['aws']);
    expect(Object.keys(stacks['interruption-kubernetes'].provider ?? {}).sort()).toEqual(['aws', 'kubernetes']);
    expect(only(stacks['interruption-kubernetes'], 'kubernetes_daemon_set_v1').spec.template.spec.container[0].image).toMatch(/node-manager:0\.1\.0$/);
  });
});

describe('example context is strict', () => {
  it.each([
    ['existing-cluster', EXISTING_CLUSTER_KEYS, 'nodeRoleNme', 'nodeRoleName'],
    ['karpenter-on-existing-cluster', KARPENTER_KEYS, 'clustername', 'clusterName'],
  ])('%s rejects a misspelt key, naming the closest', (_name, keys, typo, near) => {
    const context = { values: { [typo]: 'x' }, origin: { [typo]: `-c ${typo}=x` } };
    expect(() => checkContextKeys(context, keys)).toThrow(AppSettingsError);
    expect(() => checkContextKeys(context, keys)).toThrow(new RegExp(`${typo} \\(from -c ${typo}=x\\): unknown setting "${typo}"; did you mean "${near}"`));
    expect(() => checkContextKeys({ values: { [near]: 'x', cdktfRelativeModules: [] }, origin: {} }, keys)).not.toThrow();
  });

  it.each(['existing-cluster', 'karpenter-on-existing-cluster'])('%s lists every key it reads', (name) => {
    const source = readFileSync(join(__dirname, '../../examples', name, 'main.ts'), 'utf8');
    const read = [...source.matchAll(/setting\('(\w+)'/g)].map((m) => m[1]);
    const keys = name === 'existing-cluster' ? EXISTING_CLUSTER_KEYS : KARPENTER_KEYS;
    expect([...new Set(read)].sort()).toEqual([...keys].sort());
  });
});
