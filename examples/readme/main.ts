/**
 * The README's library snippet ("Use the constructs in your own stack"), kept runnable and tested:
 * __tests__/library/examples.test.ts checks that the README shows exactly this file's code.
 */
import { App, Fn, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { checkContextKeys, EksCluster, NodeManager, runApp, TerminationHandler } from 'spot-ready-eks';

export function build(app: App, clusterName = 'prod', region = 'eu-west-1') {
  const aws = new TerraformStack(app, 'interruption-aws');
  new AwsProvider(aws, 'aws', { region });
  // Looked up by name at plan time: nothing here creates or changes the cluster.
  const cluster = EksCluster.fromClusterName(aws, 'cluster', { clusterName, nodeRoleName: `${clusterName}-nodes` });
  const handler = new TerminationHandler(aws, 'termination', { cluster });

  // The Kubernetes side: its own AWS provider, and a kubernetes provider with a short-lived token.
  const kubernetes = new TerraformStack(app, 'interruption-kubernetes');
  new AwsProvider(kubernetes, 'aws', { region });
  const eks = new DataAwsEksCluster(kubernetes, 'eks', { name: clusterName });
  new KubernetesProvider(kubernetes, 'kubernetes', {
    host: eks.endpoint,
    clusterCaCertificate: Fn.base64decode(eks.certificateAuthority.get(0).data),
    token: new DataAwsEksClusterAuth(kubernetes, 'eks-auth', { name: clusterName }).token,
  });
  new NodeManager(kubernetes, 'node-manager', { cluster, handler, region, image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/node-manager:0.1.0' });
  return { aws, kubernetes };
}

// `npx cdktf synth -c clusterName=staging`: context read as cdktf passes it; an unknown key fails.
if (require.main === module) {
  runApp(
    (context) => {
      checkContextKeys(context, ['clusterName', 'region']);
      return context.values as { clusterName?: string; region?: string };
    },
    (app, { clusterName, region }) => build(app, clusterName, region),
  );
}
