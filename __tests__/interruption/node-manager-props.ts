/** A NodeManager alone in a stack: a cluster by attributes and a handler that records its grants. */
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { IEksCluster } from '../../constructs/cluster/cluster-reference';
import type { NodeManagerProps } from '../../constructs/interruption/node-manager';

export function minimalProps(scope: Construct, kubernetesVersion = '1.33'): NodeManagerProps & { granted: unknown[] } {
  new AwsProvider(scope, 'aws', { region: 'eu-west-1' });
  new KubernetesProvider(scope, 'kubernetes', {});
  const cluster = {
    clusterName: 'test',
    clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/test',
    kubernetesVersion,
  } as IEksCluster;
  const granted: unknown[] = [];
  return {
    cluster,
    handler: { functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:term', grantInvoke: (g) => granted.push(g) },
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/node-manager:0.1.0',
    region: 'eu-west-1',
    granted,
  };
}
