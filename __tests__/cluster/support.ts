/** A bare stack holding one EksCluster on an imported network, synthesized to JSON. */
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EksCluster } from '../../constructs/cluster/eks-cluster';
import { EksClusterProps } from '../../constructs/cluster/eks-cluster-props';
import { Network } from '../../constructs/network/network';
import { synthJson, TfJson } from '../support/synth';

export const NETWORK = Network.fromIds('vpc-0123456789abcdef0', ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);

export function synthCluster(props: Partial<EksClusterProps> = {}): TfJson {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new EksCluster(stack, 'eks', { clusterName: 'c1', kubernetesVersion: '1.33', network: NETWORK, ...props });
  return synthJson(stack);
}
