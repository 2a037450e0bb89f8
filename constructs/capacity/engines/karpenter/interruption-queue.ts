/**
 * The SQS queue Karpenter reads interruption events from, and the EventBridge rules that fill it:
 * spot interruption warnings, rebalance recommendations, instance state changes and AWS Health
 * events. Karpenter then cordons and drains the node before EC2 reclaims it.
 */
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { physicalName } from '../../../naming';
import { terraformJson } from '../../../terraform-json';

/** The events Karpenter handles, as (source, detail-type) pairs. */
export const INTERRUPTION_EVENTS = [
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'instance-state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  { id: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
] as const;

export interface InterruptionQueueProps {
  readonly clusterName: string;
  /** @default - AWS-managed SSE (sqs_managed_sse_enabled) */
  readonly kmsKeyId?: string;
}

export class InterruptionQueue extends Construct {
  readonly queueName: string;
  readonly queueArn: string;

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    // SQS names stop at 80 characters (physicalName cuts long ones with a hash, so two never
    // collide); a token name (unknown length) gets a generated name instead.
    const naming = Token.isUnresolved(props.clusterName)
      ? { namePrefix: 'karpenter-' }
      : { name: physicalName(this, props.clusterName, 'karpenter', 80) };
    const queue = new SqsQueue(this, 'queue', {
      ...naming,
      messageRetentionSeconds: 300, // an interruption notice is worthless after its two minutes
      ...(props.kmsKeyId ? { kmsMasterKeyId: props.kmsKeyId } : { sqsManagedSseEnabled: true }),
      tags: { 'karpenter.sh/discovery': props.clusterName },
    });
    this.queueName = queue.name;
    this.queueArn = queue.arn;

    const rules = INTERRUPTION_EVENTS.map((event) => {
      const rule = new CloudwatchEventRule(this, `${event.id}-rule`, {
        description: `Karpenter interruption handling (${props.clusterName}): ${event.detailType}`,
        eventPattern: terraformJson({ source: [event.source], 'detail-type': [event.detailType] }),
      });
      new CloudwatchEventTarget(this, `${event.id}-target`, { rule: rule.name, targetId: 'KarpenterInterruptionQueueTarget', arn: queue.arn });
      return rule;
    });

    new SqsQueuePolicy(this, 'policy', {
      queueUrl: queue.url,
      policy: terraformJson({
        Version: '2012-10-17',
        Id: 'EC2InterruptionPolicy',
        Statement: [
          {
            Sid: 'AllowOurEventRules',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: queue.arn,
            Condition: { ArnEquals: { 'aws:SourceArn': rules.map((r) => r.arn) } },
          },
          { Sid: 'AllowSqs', Effect: 'Allow', Principal: { Service: 'sqs.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue.arn },
          {
            Sid: 'DenyHTTP',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sqs:*',
            Resource: queue.arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
  }
}
