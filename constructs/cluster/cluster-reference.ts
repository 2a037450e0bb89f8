/**
 * What every other construct needs to know about an EKS cluster. Our {@link EksCluster} implements
 * it, and so does {@link EksCluster.fromAttributes} / {@link EksCluster.fromClusterName} for a
 * cluster this project did not create.
 */
export interface IEksCluster {
  /** The cluster name. */
  readonly clusterName: string;
  /** The cluster ARN. */
  readonly clusterArn: string;
  /** The API server endpoint (https://…). */
  readonly endpoint: string;
  /** The base64-encoded certificate authority data of the API server. */
  readonly certificateAuthorityData: string;
  /** The Kubernetes service CIDR (kubelet's cluster DNS is derived from it). */
  readonly serviceIpv4Cidr: string;
  /** The Kubernetes version, e.g. `1.33`. */
  readonly kubernetesVersion: string;
  /** The cluster security group that EKS created (nodes join it). */
  readonly clusterSecurityGroupId: string;
  /** The VPC the cluster runs in. */
  readonly vpcId: string;
  /** Private subnets for worker nodes. */
  readonly privateSubnetIds: string[];
  /** The IAM role and instance profile that worker nodes use. */
  readonly nodeRole: INodeRole;
  /** The OIDC provider for IRSA, when there is one. @default - none; use Pod Identity */
  readonly oidcProvider?: { readonly arn: string; readonly issuerUrl: string };
  /** The tag that marks this cluster's instances: `kubernetes.io/cluster/<name>`. */
  readonly clusterTagKey: string;
}

/** The node IAM role and its instance profile. */
export interface INodeRole {
  readonly roleArn: string;
  readonly roleName: string;
  readonly instanceProfileName: string;
  readonly instanceProfileArn: string;
}

/** The tag key every instance of a cluster carries (EKS and the cloud provider use it). */
export function clusterTagKey(clusterName: string): string {
  return `kubernetes.io/cluster/${clusterName}`;
}
