import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { RotatingKey } from '../iam/rotating-key';
import { terraformJson } from '../terraform-json';

export interface TerminationMessagingProps {
  readonly topicName: string;
  readonly queueName: string;
  /** @default [] */
  readonly emails?: string[];
}

/**
 * The summary topic (encrypted with its own rotating key, which CloudWatch alarms may also use)
 * and the on-failure queue (SSE, TLS only, 14 days) where Lambda parks notices it gave up on.
 */
export class TerminationMessaging extends Construct {
  readonly topicArn: string;
  readonly keyArn: string;
  readonly queueArn: string;
  readonly queueUrl: string;
  readonly queueName: string;

  constructor(scope: Construct, id: string, props: TerminationMessagingProps) {
    super(scope, id);
    const key = new RotatingKey(this, 'key', {
      description: `${props.topicName}: interruption summaries and alarms`,
      serviceStatements: ({ account }) => [
        {
          Sid: 'CloudWatchAlarms',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': account } },
        },
      ],
    });
    this.keyArn = key.arn;
    const topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: key.arn });
    this.topicArn = topic.arn;
    (props.emails ?? []).forEach((email, i) =>
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }),
    );

    const queue = new SqsQueue(this, 'failures', {
      name: props.queueName,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 14 * 24 * 3600,
    });
    new SqsQueuePolicy(this, 'failures-policy', {
      queueUrl: queue.url,
      policy: terraformJson({
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queue.arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      }),
    });
    this.queueArn = queue.arn;
    this.queueUrl = queue.url;
    this.queueName = queue.name;
  }
}
