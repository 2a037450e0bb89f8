/** A literal IEksCluster (no EksCluster construct, no tokens) for construct tests and benches. */
import { clusterTagKey, type IEksCluster } from '../../constructs/cluster/cluster-reference';

export function literalCluster(name: string, account = '123456789012'): IEksCluster {
  return {
    clusterName: name,
    clusterArn: `arn:aws:eks:eu-west-1:${account}:cluster/${name}`,
    endpoint: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com',
    certificateAuthorityData: Buffer.from('-----BEGIN CERTIFICATE-----\nfixture\n-----END CERTIFICATE-----\n').toString('base64'),
    serviceIpv4Cidr: '172.20.0.0/16',
    kubernetesVersion: '1.33',
    clusterSecurityGroupId: 'sg-0123456789abcdef0',
    vpcId: 'vpc-0123456789abcdef0',
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
    nodeRole: {
      roleArn: `arn:aws:iam::${account}:role/${name}-node`,
      roleName: `${name}-node`,
      instanceProfileName: `${name}-node`,
      instanceProfileArn: `arn:aws:iam::${account}:instance-profile/${name}-node`,
    },
    clusterTagKey: clusterTagKey(name),
  };
}
