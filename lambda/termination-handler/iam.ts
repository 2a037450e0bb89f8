/**
 * Every IAM action the handler's code calls, in one place, so the construct grants exactly these
 * (a test fails when the code starts calling something that is not listed here).
 * Suggested scoping for the construct: ModifyNetworkInterfaceAttribute on the quarantine security group
 * ARN and on network interfaces with condition `ec2:Vpc` = the cluster VPC; sns:Publish on the summary
 * topic; dynamodb:* on the state table; secretsmanager:GetSecretValue on MONITORING_SECRET_ARN. The
 * ELB deregistration can be conditioned on the cluster's tag only when every target group carries it.
 */
export const TERMINATION_HANDLER_IAM_ACTIONS = [
  'ec2:DescribeInstances',
  // Confirming a notice with AWS (confirm.ts): read-only, and AWS cannot scope them to a resource.
  'ec2:DescribeSpotInstanceRequests',
  'ec2:DescribeInstanceStatus',
  'autoscaling:DescribeAutoScalingInstances',
  // Completing the ASG termination hook (lifecycle.ts); scope CompleteLifecycleAction to the cluster's groups.
  'autoscaling:DescribeLifecycleHooks',
  'autoscaling:CompleteLifecycleAction',
  'ec2:ModifyNetworkInterfaceAttribute',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DeregisterTargets',
  'sns:Publish',
  'dynamodb:GetItem',
  'dynamodb:UpdateItem',
  'secretsmanager:GetSecretValue',
] as const;
