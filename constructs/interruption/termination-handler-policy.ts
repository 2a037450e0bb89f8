import { PolicyStatement } from '../iam/policy';

export interface HandlerPolicyInputs {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly vpcId: string;
  readonly quarantineSecurityGroupArn: string;
  readonly topicArn: string;
  readonly topicKeyArn: string;
  readonly tableArn: string;
  readonly logGroupArn: string;
  readonly failureQueueArn: string;
  readonly monitoringSecretArn?: string;
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
  }
  return statements;
}
