/**
 * What the drill's role may do, and nothing more: interrupt only this cluster's spot instances,
 * read instances (EC2 cannot scope DescribeInstances), and set up FIS's log delivery to CloudWatch
 * Logs in this account and region (the permissions the CloudWatch Logs "vended logs" guide lists).
 */
import type { PolicyStatement } from '../../iam/policy';
import { terraformJson } from '../../terraform-json';

export interface DrillPolicyInput {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** `kubernetes.io/cluster/<name>`; instances must carry it with value `owned`. */
  readonly clusterTagKey: string;
}

export function drillRoleStatements(p: DrillPolicyInput): PolicyStatement[] {
  return [
    {
      sid: 'InterruptThisClustersSpotInstances',
      actions: ['ec2:SendSpotInstanceInterruptions'],
      resources: [`arn:${p.partition}:ec2:${p.region}:${p.account}:instance/*`],
      conditions: { StringEquals: { [`aws:ResourceTag/${p.clusterTagKey}`]: 'owned' } },
    },
    { sid: 'ResolveTargets', actions: ['ec2:DescribeInstances'], resources: ['*'] },
    {
      // CreateLogDelivery has no resource type; the region condition is the narrowest scope IAM offers.
      sid: 'CreateExperimentLogDelivery',
      actions: ['logs:CreateLogDelivery'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': p.region } },
    },
    {
      sid: 'AllowLogDeliveryToLogGroups',
      actions: ['logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      resources: [`arn:${p.partition}:logs:${p.region}:${p.account}:*`],
    },
  ];
}

/** FIS may assume the role, only for experiments of this account and region (confused-deputy guard). */
export function fisTrustPolicy(p: Omit<DrillPolicyInput, 'clusterTagKey'>): string {
  return terraformJson({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: 'fis.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': p.account },
        ArnLike: { 'aws:SourceArn': `arn:${p.partition}:fis:${p.region}:${p.account}:experiment/*` },
      },
    }],
  });
}
