/**
 * Several instances of every top-level construct in ONE app — two platforms, two termination
 * handlers on the same cluster, two repositories, node-managers and Oceans — must not fight over a
 * physical name, and every name must fit its AWS limit, also for a 100-character cluster name.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import {
  EksCluster, InterruptionOperations, NodeManager, NodeManagerRepository, Ocean, Platform, SpotNodeGroup, TerminationHandler, validatePlatformConfig,
} from 'spot-ready-eks';
import { synthApp } from '../support/synth';
import { collisions, overLimit, physicalNames, type PhysicalName } from './support/physical-names';

const LONG = `platform-${'x'.repeat(91)}`; // 100 characters: the EKS maximum
const LONG_TWIN = `${LONG.slice(0, 99)}y`; // differs only in its last character

function providers(stack: TerraformStack): void {
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new KubernetesProvider(stack, 'kubernetes', {});
  new HelmProvider(stack, 'helm', {});
}

/** A stack that looks up an existing cluster. */
function clusterStack(app: App, id: string, clusterName: string) {
  const stack = new TerraformStack(app, id);
  providers(stack);
  return { stack, cluster: EksCluster.fromClusterName(stack, 'cluster', { clusterName, nodeRoleName: `${clusterName}-nodes` }) };
}

/** Two teams' interruption pipelines, in two stacks, on the SAME cluster, apart by their prefix. */
function pipeline(app: App, color: string, namePrefix?: string, namespace = namePrefix && `node-manager-${color}`): void {
  const { stack, cluster } = clusterStack(app, `pipeline-${color}`, 'gamma');
  const handler = new TerminationHandler(stack, 'termination', { cluster, namePrefix });
  new InterruptionOperations(stack, 'operations', { handler, cluster });
  const repository = new NodeManagerRepository(stack, 'repository', { namePrefix });
  new NodeManager(stack, 'node-manager', { cluster, handler, region: 'eu-west-1', image: `${repository.repositoryUrl}:1`, namePrefix, namespace });
  new SpotNodeGroup(stack, 'workers', { cluster, spec: { name: `${color}-workers`, maxSize: 3 } });
}

function buildApp(): App {
  const app = Testing.app();
  new Platform(app, validatePlatformConfig({ clusterName: LONG, capacityEngine: 'karpenter' }), { stackIdPrefix: 'alpha' });
  new Platform(app, validatePlatformConfig({ clusterName: 'beta', capacityEngine: 'asg' }), { stackIdPrefix: 'beta' });
  pipeline(app, 'blue', 'gamma-blue');
  pipeline(app, 'green', 'gamma-green');
  const twin = clusterStack(app, 'capacity-twin', LONG_TWIN);
  new Ocean(twin.stack, 'capacity', { cluster: twin.cluster, region: 'eu-west-1', engine: 'karpenter', launchSpecs: [{ name: 'general' }] });
  const gamma = clusterStack(app, 'capacity-gamma', 'gamma');
  new Ocean(gamma.stack, 'capacity', { cluster: gamma.cluster, region: 'eu-west-1', engine: 'asg', launchSpecs: [{ name: 'general' }] });
  for (const name of ['delta', 'epsilon']) {
    const spot = clusterStack(app, `capacity-${name}`, name);
    new Ocean(spot.stack, 'capacity', { cluster: spot.cluster, region: 'eu-west-1', engine: 'spotinst', spotinst: { account: 'act-12345678' }, launchSpecs: [{ name: 'general' }] });
  }
  return app;
}

const count = (names: PhysicalName[], type: string, attribute: string) =>
  names.filter((n) => n.rule.type === type && n.rule.attributes.join('+') === attribute).length;

describe('many instances in one app', () => {
  const stacks = synthApp(buildApp());
  const names = physicalNames(stacks);

  it('gives each platform its own pair of stacks', () => {
    expect(Object.keys(stacks)).toEqual(expect.arrayContaining(['alpha-cluster', 'alpha-workloads', 'beta-cluster', 'beta-workloads']));
  });

  it('finds the names of every instance (so the checks below see them all)', () => {
    expect(count(names, 'aws_lambda_function', 'function_name')).toBe(4);
    expect(count(names, 'aws_cloudwatch_dashboard', 'dashboard_name')).toBe(4);
    expect(count(names, 'aws_cloudwatch_metric_alarm', 'alarm_name')).toBe(24); // six per handler
    expect(count(names, 'aws_fis_experiment_template', 'tags.Name')).toBe(4);
    expect(count(names, 'aws_ecr_repository', 'name')).toBe(4);
    expect(count(names, 'aws_eks_cluster', 'name')).toBe(2);
    expect(count(names, 'aws_sqs_queue', 'name')).toBe(4 + 2); // failure queues + Karpenter queues
    expect(count(names, 'aws_autoscaling_group', 'name')).toBeGreaterThanOrEqual(4);
  });

  it('uses no physical name twice', () => {
    expect(collisions(names)).toEqual([]);
  });

  it('keeps every name within its AWS limit', () => {
    expect(overLimit(names)).toEqual([]);
  });

  it('derives the same names on every synth', () => {
    const again = physicalNames(synthApp(buildApp()));
    expect(again.map((n) => `${n.where}=${n.value}`)).toEqual(names.map((n) => `${n.where}=${n.value}`));
  });

  it('catches a collision: two handlers on one cluster without a prefix share every name', () => {
    const app = Testing.app();
    pipeline(app, 'blue');
    pipeline(app, 'green');
    const found = collisions(physicalNames(synthApp(app)));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_lambda_function\.function_name "gamma-termination-handler": pipeline-blue\/.*, pipeline-green\//)]));
    expect(found.some((c) => c.startsWith('aws_ecr_repository.name "node-manager"'))).toBe(true);
    // Both node-managers also share a namespace, so their Pod Identity associations collide.
    expect(found.some((c) => c.startsWith('aws_eks_pod_identity_association.cluster_name+namespace+service_account "gamma | node-manager | node-manager"'))).toBe(true);
  });
});

describe('NodeManagerRepository names', () => {
  const repositoryName = (props: ConstructorParameters<typeof NodeManagerRepository>[2]) => {
    const stack = new TerraformStack(Testing.app(), 'repo');
    new AwsProvider(stack, 'aws', {});
    new NodeManagerRepository(stack, 'repository', props);
    return Object.values(JSON.parse(Testing.synth(stack)).resource.aws_ecr_repository as Record<string, { name: string }>)[0].name;
  };

  it('derives an ECR-valid name from a cluster-name prefix', () => {
    expect(repositoryName({})).toBe('node-manager');
    expect(repositoryName({ namePrefix: 'Prod_EU--1-' })).toBe('prod_eu-1/node-manager');
  });

  it('rejects a name ECR would refuse, naming the field and the fix', () => {
    expect(() => repositoryName({ repositoryName: 'Team/Node Manager' })).toThrow(/repositoryName: 'Team\/Node Manager' is not an ECR repository name\. Fix: use 2–256 lower-case/);
  });
});
