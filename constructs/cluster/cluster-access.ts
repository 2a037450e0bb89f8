import { Construct } from 'constructs';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';

export interface ClusterAccessProps {
  readonly clusterName: string;
  readonly partition: string;
  /** The worker node role: gets an EC2_LINUX access entry so its nodes can join. */
  readonly nodeRoleArn: string;
  /** Made cluster admin (AmazonEKSClusterAdminPolicy, cluster scope). @default - none */
  readonly adminPrincipalArn?: string;
}

/** Access entries (API authentication mode): the nodes' role, and an optional admin. */
export class ClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    new EksAccessEntry(this, 'nodes', { clusterName: props.clusterName, principalArn: props.nodeRoleArn, type: 'EC2_LINUX' });
    if (props.adminPrincipalArn) {
      const admin = new EksAccessEntry(this, 'admin', { clusterName: props.clusterName, principalArn: props.adminPrincipalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, 'admin-policy', {
        clusterName: props.clusterName,
        principalArn: admin.principalArn,
        policyArn: `arn:${props.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
      });
    }
  }
}
