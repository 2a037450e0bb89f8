/**
 * Karpenter on an EKS cluster you already run, through the Ocean: cluster-wide defaults plus light
 * launch specs. AWS side (controller role, Pod Identity, interruption queue and rules) in one stack;
 * the Helm release and each launch spec's EC2NodeClass + NodePool in a stack whose kubernetes and
 * helm providers are configured from the looked-up cluster. Nodes find their subnets by the tag
 * `karpenter.sh/discovery: <cluster name>`: tag the cluster's private subnets, or set `defaults.subnetIds`.
 *
 *   npx cdktf synth                      # settings: cdktf.json "context", or -c / CDKTF_CONTEXT_JSON
 */
import { App, Fn, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { EksCluster, Ocean, checkContextKeys, runApp } from 'spot-ready-eks';

export function build(app: App) {
  const setting = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
  const region = setting('region', 'eu-west-1');
  const clusterName = setting('clusterName', 'existing');

  const aws = new TerraformStack(app, 'karpenter-aws');
  new AwsProvider(aws, 'aws', { region });
  const cluster = EksCluster.fromClusterName(aws, 'cluster', { clusterName, nodeRoleName: setting('nodeRoleName', `${clusterName}-nodes`) });

  const kubernetes = new TerraformStack(app, 'karpenter-kubernetes');
  new AwsProvider(kubernetes, 'aws', { region });
  const eks = new DataAwsEksCluster(kubernetes, 'eks', { name: clusterName });
  const auth = new DataAwsEksClusterAuth(kubernetes, 'eks-auth', { name: clusterName });
  const connection = { host: eks.endpoint, clusterCaCertificate: Fn.base64decode(eks.certificateAuthority.get(0).data), token: auth.token };
  new KubernetesProvider(kubernetes, 'kubernetes', connection);
  new HelmProvider(kubernetes, 'helm', { kubernetes: connection });

  const ocean = new Ocean(aws, 'capacity', {
    cluster,
    region,
    engine: 'karpenter',
    workloadsScope: kubernetes,
    // A node group's role already has an access entry; set true if yours has none.
    karpenter: { createNodeAccessEntry: setting('createNodeAccessEntry', 'false') === 'true' },
    defaults: { instanceSelection: { requirements: { vcpu: { min: 2, max: 16 }, categories: ['c', 'm', 'r'] } }, limits: { maxVcpu: 200 } },
    launchSpecs: [{ name: 'general', labels: { workload: 'general' } }],
  });
  ocean.addLaunchSpec({
    name: 'batch',
    labels: { workload: 'batch' },
    taints: [{ key: 'workload', value: 'batch', effect: 'NoSchedule' }],
    instanceSelection: { requirements: { vcpu: { min: 8, max: 32 } } },
  });
  return { aws, kubernetes, ocean };
}

/** The context keys this app reads; any other key fails, naming the closest of these. */
export const CONTEXT_KEYS = ['clusterName', 'createNodeAccessEntry', 'nodeRoleName', 'region'];

if (require.main === module) runApp((context) => checkContextKeys(context, CONTEXT_KEYS), (app) => build(app));
