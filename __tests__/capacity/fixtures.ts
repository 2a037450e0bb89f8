/** A literal IEksCluster for capacity tests (no EksCluster construct needed). */
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { clusterTagKey, type IEksCluster } from '../../constructs/cluster/cluster-reference';

export const CLUSTER_NAME = 'demo';

export const cluster: IEksCluster = {
  clusterName: CLUSTER_NAME,
  clusterArn: `arn:aws:eks:eu-west-1:111122223333:cluster/${CLUSTER_NAME}`,
  endpoint: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthorityData: Buffer.from('-----BEGIN CERTIFICATE-----\nfixture\n-----END CERTIFICATE-----\n').toString('base64'),
  serviceIpv4Cidr: '172.20.0.0/16',
  kubernetesVersion: '1.33',
  clusterSecurityGroupId: 'sg-0123456789abcdef0',
  vpcId: 'vpc-0123456789abcdef0',
  privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  nodeRole: {
    roleArn: 'arn:aws:iam::111122223333:role/demo-node',
    roleName: 'demo-node',
    instanceProfileName: 'demo-node',
    instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/demo-node',
  },
  clusterTagKey: clusterTagKey(CLUSTER_NAME),
};

/** Synthesizes what `build` adds to a fresh stack and returns the parsed Terraform JSON. */
export function synth(build: (scope: Construct) => void): SynthOutput {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack);
  return JSON.parse(Testing.synth(stack)) as SynthOutput;
}

export interface SynthOutput {
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
}

/** The only resource of a type (fails loudly if there are more or none). */
export function only(out: SynthOutput, type: string): Record<string, any> {
  const all = Object.values(out.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}
