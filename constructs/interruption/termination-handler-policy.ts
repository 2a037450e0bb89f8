import { PolicyStatement } from '../iam/policy';

export interface HandlerPolicyInputs {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly vpcId: string;
  /** The cluster's tag key: Auto Scaling groups carrying it (value `owned`) are the cluster's. */
  readonly clusterTagKey: string;
  readonly quarantineSecurityGroupArn: string;
  readonly topicArn: string;
  readonly topicKeyArn: string;
  readonly tableArn: string;
  readonly logGroupArn: string;
  readonly failureQueueArn: string;
  readonly monitoringSecretArn?: string;
  /** Customer-managed key of the monitoring secret. */
  readonly monitoringSecretKmsKeyArn?: string;
}

/**
 * What the termination handler may do, and no more. Mutations are scoped by ARN, or — for the
 * instance's network interfaces, whose ids are only known at run time — to this cluster's VPC.
 * Only the describe calls, which AWS cannot scope to a resource, use `*`.
 */
export function terminationHandlerStatements(p: HandlerPolicyInputs): PolicyStatement[] {
  const arn = (service: string, resource: string) => `arn:${p.partition}:${service}:${p.region}:${p.account}:${resource}`;
  const statements: PolicyStatement[] = [
    { sid: 'Describe', actions: ['ec2:DescribeInstances', 'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTags'], resources: ['*'] },
    // Confirming a notice with AWS before acting on it (read-only; these actions support no resource scoping).
    {
      sid: 'Confirm',
      actions: ['ec2:DescribeSpotInstanceRequests', 'ec2:DescribeInstanceStatus', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLifecycleHooks'],
      resources: ['*'],
    },
    // Let the cluster's own Auto Scaling groups (tagged owned) terminate a node once it is out of service.
    {
      sid: 'CompleteLifecycle',
      actions: ['autoscaling:CompleteLifecycleAction'],
      resources: [arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')],
      conditions: { StringEquals: { [`aws:ResourceTag/${p.clusterTagKey}`]: 'owned' } },
    },
    { sid: 'Deregister', actions: ['elasticloadbalancing:DeregisterTargets'], resources: [arn('elasticloadbalancing', 'targetgroup/*/*')] },
    {
      sid: 'QuarantineInterfaces',
      actions: ['ec2:ModifyNetworkInterfaceAttribute'],
      resources: [arn('ec2', 'network-interface/*')],
      conditions: { StringEquals: { 'ec2:Vpc': arn('ec2', `vpc/${p.vpcId}`) } },
    },
    { sid: 'QuarantineGroup', actions: ['ec2:ModifyNetworkInterfaceAttribute'], resources: [p.quarantineSecurityGroupArn] },
    { sid: 'Summary', actions: ['sns:Publish'], resources: [p.topicArn] },
    { sid: 'SummaryKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [p.topicKeyArn] },
    { sid: 'State', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [p.tableArn] },
    { sid: 'Logs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${p.logGroupArn}:*`] },
    { sid: 'FailureDestination', actions: ['sqs:SendMessage'], resources: [p.failureQueueArn] },
  ];
  if (p.monitoringSecretArn) {
    statements.push({ sid: 'MonitoringSecret', actions: ['secretsmanager:GetSecretValue'], resources: [p.monitoringSecretArn] });
    if (p.monitoringSecretKmsKeyArn) {
      statements.push({
        sid: 'MonitoringSecretKey',
        actions: ['kms:Decrypt'],
        resources: [p.monitoringSecretKmsKeyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${p.region}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': p.monitoringSecretArn } },
      });
    }
  }
  return statements;
}
