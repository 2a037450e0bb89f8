import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { managedPolicyArn, serviceTrustPolicy } from '../iam/policy';
import { INodeRole } from './cluster-reference';

/** AWS-managed policies a worker node needs: join the cluster, run the VPC CNI, pull images. */
export const NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'];
/** Session Manager access for nodes; opt-in because it also reads every SSM parameter (`ssm:GetParameter*` on `*`). */
export const SSM_NODE_POLICY = 'AmazonSSMManagedInstanceCore';

export interface NodeRoleProps {
  /** The AWS partition (`aws`, `aws-cn`, …), usually a token. */
  readonly partition: string;
  /**
   * Attach `AmazonSSMManagedInstanceCore` so Session Manager can reach the nodes. Off by default:
   * the policy lets the node role — and so every host-network pod, which shares the node's
   * credentials — read every SSM parameter in the account (`ssm:GetParameter*` on `*`). The policy
   * suite's `aws-managed-reads-everything` rule flags it when on.
   * @default false
   */
  readonly ssmManagedInstanceCore?: boolean;
}

/** The IAM role and instance profile of worker nodes (spot ASGs, Karpenter and Ocean all use it). */
export class NodeRole extends Construct implements INodeRole {
  readonly roleArn: string;
  readonly roleName: string;
  readonly instanceProfileName: string;
  readonly instanceProfileArn: string;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', { namePrefix: 'eks-node-', assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com') });
    [...NODE_POLICIES, ...(props.ssmManagedInstanceCore ? [SSM_NODE_POLICY] : [])].forEach((name) =>
      new IamRolePolicyAttachment(this, name, { role: role.name, policyArn: managedPolicyArn(props.partition, name) }),
    );
    const profile = new IamInstanceProfile(this, 'profile', { namePrefix: 'eks-node-', role: role.name });
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.instanceProfileName = profile.name;
    this.instanceProfileArn = profile.arn;
  }
}
