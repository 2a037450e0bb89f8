/**
 * The interruption pipeline alone, on an EKS cluster you already run: the termination Lambda in a
 * stack with the AWS provider, node-manager in a stack with the kubernetes provider. The cluster is
 * looked up by name at plan time; nothing here creates or changes it. The cluster needs the EKS Pod
 * Identity Agent add-on (node-manager's IAM role reaches its pods through it).
 *
 *   npx cdktf synth                      # settings: cdktf.json "context", or -c / CDKTF_CONTEXT_JSON
 */
import { App, Fn, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { EksCluster, NodeManager, NodeManagerRepository, TerminationHandler, checkContextKeys, runApp } from 'spot-ready-eks';

export function build(app: App) {
  const setting = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
  const region = setting('region', 'eu-west-1');
  const clusterName = setting('clusterName', 'existing');

  // AWS side: the Lambda, its role, topic, queue, table, quarantine group and EventBridge rules.
  const aws = new TerraformStack(app, 'interruption-aws');
  new AwsProvider(aws, 'aws', { region });
  const cluster = EksCluster.fromClusterName(aws, 'cluster', { clusterName, nodeRoleName: setting('nodeRoleName', `${clusterName}-nodes`) });
  const handler = new TerminationHandler(aws, 'termination', { cluster });
  const repository = new NodeManagerRepository(aws, 'node-manager-image', { namePrefix: clusterName });

  // Kubernetes side: the provider connects with a short-lived token read at plan time.
  const kubernetes = new TerraformStack(app, 'interruption-kubernetes');
  new AwsProvider(kubernetes, 'aws', { region });
  const eks = new DataAwsEksCluster(kubernetes, 'eks', { name: clusterName });
  const auth = new DataAwsEksClusterAuth(kubernetes, 'eks-auth', { name: clusterName });
  new KubernetesProvider(kubernetes, 'kubernetes', {
    host: eks.endpoint,
    clusterCaCertificate: Fn.base64decode(eks.certificateAuthority.get(0).data),
    token: auth.token,
  });
  const nodeManager = new NodeManager(kubernetes, 'node-manager', {
    cluster,
    handler,
    region,
    image: setting('nodeManagerImage', `${repository.repositoryUrl}:${setting('nodeManagerImageTag', '0.1.0')}`),
  });
  return { aws, kubernetes, handler, nodeManager };
}

/** The context keys this app reads; any other key fails, naming the closest of these. */
export const CONTEXT_KEYS = ['region', 'clusterName', 'nodeRoleName', 'nodeManagerImage', 'nodeManagerImageTag'];

if (require.main === module) runApp((context) => checkContextKeys(context, CONTEXT_KEYS), (app) => build(app));
