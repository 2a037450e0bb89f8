import { Construct } from 'constructs';
import { EksFargateProfile } from '@cdktf/provider-aws/lib/eks-fargate-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { managedPolicyArn, sourcePinnedTrustPolicy } from '../iam/policy';
import type { FargateProfileOptions } from './cluster-options';

export interface FargateProfilesProps {
  readonly clusterName: string;
  readonly partition: string;
  /** Subnets a profile uses unless it names its own (private ones: Fargate pods get no public IP). */
  readonly privateSubnetIds: string[];
  /** Profiles by name (the EKS profile name and the logical id). */
  readonly profiles: Record<string, FargateProfileOptions>;
}

/**
 * Fargate profiles sharing one pod execution role. The role's trust admits only Fargate profiles of
 * this cluster in this account (`aws:SourceArn`), as the EKS guide recommends against confused
 * deputies. EKS adds the role's access entry itself when it creates a profile.
 */
export class FargateProfiles extends Construct {
  /** The pod execution role's ARN. */
  readonly podExecutionRoleArn: string;

  constructor(scope: Construct, id: string, props: FargateProfilesProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const region = new DataAwsRegion(this, 'region').region;
    const role = new IamRole(this, 'pod-execution-role', {
      namePrefix: 'eks-fargate-',
      assumeRolePolicy: sourcePinnedTrustPolicy('eks-fargate-pods.amazonaws.com', {
        account,
        arnLike: `arn:${props.partition}:eks:${region}:${account}:fargateprofile/${props.clusterName}/*`,
      }),
    });
    new IamRolePolicyAttachment(this, 'pod-execution-policy', { role: role.name, policyArn: managedPolicyArn(props.partition, 'AmazonEKSFargatePodExecutionRolePolicy') });
    this.podExecutionRoleArn = role.arn;

    for (const [name, profile] of Object.entries(props.profiles)) {
      new EksFargateProfile(this, name, {
        clusterName: props.clusterName,
        fargateProfileName: name,
        podExecutionRoleArn: role.arn,
        subnetIds: profile.subnetIds ?? props.privateSubnetIds,
        selector: profile.selectors.map((s) => ({ namespace: s.namespace, labels: s.labels })),
      });
    }
  }
}
