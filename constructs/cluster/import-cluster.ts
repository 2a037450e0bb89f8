import { Construct } from 'constructs';
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { DataAwsIamRole } from '@cdktf/provider-aws/lib/data-aws-iam-role';
import { DataAwsIamInstanceProfile } from '@cdktf/provider-aws/lib/data-aws-iam-instance-profile';
import { IEksCluster, INodeRole, clusterTagKey } from './cluster-reference';

/** Everything about a cluster made elsewhere; the tag key is derived from the name. */
export type ClusterAttributes = Omit<IEksCluster, 'clusterTagKey'>;

export interface ClusterLookupProps {
  /** Name of the existing cluster. */
  readonly clusterName: string;
  /** Name of the IAM role its worker nodes use (the instance profile is looked up by `nodeInstanceProfileName`). */
  readonly nodeRoleName: string;
  /** @default - same as `nodeRoleName` (eksctl and terraform-aws-eks name them alike) */
  readonly nodeInstanceProfileName?: string;
  /** Subnets for nodes. @default - every subnet the control plane uses */
  readonly privateSubnetIds?: string[];
  /** ARN of the cluster's IAM OIDC provider, if IRSA is used. @default - none (Pod Identity) */
  readonly oidcProviderArn?: string;
}

export function importCluster(_scope: Construct, _id: string, attrs: ClusterAttributes): IEksCluster {
  return { ...attrs, clusterTagKey: clusterTagKey(attrs.clusterName) };
}

/** Data sources read the cluster, node role and instance profile at plan time. */
export function lookupCluster(scope: Construct, id: string, props: ClusterLookupProps): IEksCluster {
  const ns = new Construct(scope, id);
  const cluster = new DataAwsEksCluster(ns, 'cluster', { name: props.clusterName });
  const role = new DataAwsIamRole(ns, 'node-role', { name: props.nodeRoleName });
  const profile = new DataAwsIamInstanceProfile(ns, 'node-profile', { name: props.nodeInstanceProfileName ?? props.nodeRoleName });
  const vpc = cluster.vpcConfig.get(0);
  const nodeRole: INodeRole = {
    roleArn: role.arn,
    roleName: role.name,
    instanceProfileArn: profile.arn,
    instanceProfileName: props.nodeInstanceProfileName ?? props.nodeRoleName,
  };
  const issuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
  return {
    clusterName: props.clusterName,
    clusterArn: cluster.arn,
    endpoint: cluster.endpoint,
    certificateAuthorityData: cluster.certificateAuthority.get(0).data,
    serviceIpv4Cidr: cluster.kubernetesNetworkConfig.get(0).serviceIpv4Cidr,
    kubernetesVersion: cluster.version,
    clusterSecurityGroupId: vpc.clusterSecurityGroupId,
    vpcId: vpc.vpcId,
    privateSubnetIds: props.privateSubnetIds ?? vpc.subnetIds,
    nodeRole,
    oidcProvider: props.oidcProviderArn ? { arn: props.oidcProviderArn, issuerUrl } : undefined,
    clusterTagKey: clusterTagKey(props.clusterName),
  };
}
