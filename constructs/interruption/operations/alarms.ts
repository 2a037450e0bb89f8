import { Construct } from 'constructs';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { physicalName } from '../../naming';
import { HANDLER_STEPS, handlerMetric, lambdaMetric, queueMetric, stepMetric, type MetricRef } from './handler-metrics';
import type { TerminationHandlerReference } from './handler-reference';
import { terraformJson } from '../../terraform-json';

export interface InterruptionAlarmsProps {
  readonly handler: TerminationHandlerReference;
  /**
   * `own`: a topic for alarms only, encrypted with the handler's topic key (so on-call can subscribe
   * without receiving every summary). `summary`: the handler's summary topic.
   * @default 'own'
   */
  readonly alarmTopic?: 'own' | 'summary';
  /** E-mail subscribers of the own alarm topic (ignored with `alarmTopic: 'summary'`). @default [] */
  readonly emails?: string[];
  /** More ARNs to notify on ALARM, e.g. a paging topic or an incident-manager response plan. @default [] */
  readonly extraAlarmActions?: string[];
  /** Seconds per evaluated datapoint: 10, 20, 30 or a multiple of 60. @default 60 */
  readonly periodSeconds?: number;
  /** Lambda `Errors` per period above which to alarm. @default 0 - any error */
  readonly errorsThreshold?: number;
  /** Lambda `Throttles` per period above which to alarm. @default 0 - any throttle */
  readonly throttlesThreshold?: number;
  /** Failed steps (all steps summed) per period above which to alarm. @default 0 - any failed step */
  readonly failedStepsThreshold?: number;
  /** p99 of NoticeToDoneMs above which to alarm: the notice window is 120 s. @default 60000 */
  readonly noticeToDoneP99Ms?: number;
  /**
   * p99 of NoticeToLastDeregistrationMs (notice → the node's last target-group registration removed)
   * above which to alarm: past the 120 s window, traffic still reaches a dead node. @default 60000
   */
  readonly lastDeregistrationP99Ms?: number;
  /** Periods a p99 must stay above its threshold before alarming. @default 1 */
  readonly latencyEvaluationPeriods?: number;
}

type AlarmShape = Pick<CloudwatchMetricAlarmConfig, 'metricName' | 'namespace' | 'dimensions' | 'statistic' | 'extendedStatistic' | 'metricQuery' | 'evaluateLowSampleCountPercentiles'>;

/**
 * The five alarms an operator needs, each to an encrypted topic, missing data = not breaching (no
 * notices is healthy): Lambda errors, Lambda throttles, a parked notice in the failure queue, any
 * failed step, and a slow p99 from notice to done.
 */
export class InterruptionAlarms extends Construct {
  readonly alarmTopicArn: string;
  /** The failure-queue alarm: the drill's stop condition. */
  readonly failureQueueAlarmArn: string;
  readonly alarmArns: string[] = [];

  constructor(scope: Construct, id: string, props: InterruptionAlarmsProps) {
    super(scope, id);
    const { handler } = props;
    const period = checkPeriod(props.periodSeconds ?? 60);
    const threshold = (field: keyof InterruptionAlarmsProps, fallback: number) => checkThreshold(field, (props[field] as number | undefined) ?? fallback);
    const topicArn = (props.alarmTopic ?? 'own') === 'own' ? this.ownTopic(handler, props.emails ?? []) : handler.topicArn;
    this.alarmTopicArn = topicArn;
    const name = (suffix: string) => physicalName(this, handler.namePrefix, `interruption-${suffix}`, 255);

    const alarm = (logicalId: string, description: string, shape: AlarmShape, threshold: number, evaluationPeriods = 1): CloudwatchMetricAlarm => {
      const a = new CloudwatchMetricAlarm(this, logicalId, {
        alarmName: name(logicalId),
        alarmDescription: description,
        comparisonOperator: 'GreaterThanThreshold',
        threshold,
        evaluationPeriods,
        ...(shape.metricQuery ? {} : { period }),
        ...shape,
        treatMissingData: 'notBreaching',
        alarmActions: [topicArn, ...(props.extraAlarmActions ?? [])],
        okActions: [topicArn],
      });
      this.alarmArns.push(a.arn);
      return a;
    };

    alarm('lambda-errors', `The termination handler ${handler.functionName} failed an invocation; Lambda retries twice, then parks the notice in the failure queue. Read the function's logs.`,
      plain(lambdaMetric('Errors', handler.functionName), 'Sum'), threshold('errorsThreshold', 0));
    alarm('lambda-throttles', `The termination handler was throttled: a mass interruption exceeded its reserved concurrency. Raise reservedConcurrency if it persists.`,
      plain(lambdaMetric('Throttles', handler.functionName), 'Sum'), threshold('throttlesThreshold', 0));
    this.failureQueueAlarmArn = alarm('failure-queue', `A notice was not handled — act now: ${handler.failureQueueName} holds a notice Lambda gave up on. Fix the cause, then run \`npm run redrive -- --queue-url ${handler.failureQueueUrl} --function ${handler.functionName}\`.`,
      plain(queueMetric('ApproximateNumberOfMessagesVisible', handler.failureQueueName), 'Maximum'), 0).arn;
    alarm('failed-steps', 'A step of the termination handler failed (deregister, quarantine, monitoring, verify or notify); the summary on the topic names the step and the reason.',
      { metricQuery: failedStepsQuery(period) }, threshold('failedStepsThreshold', 0));
    alarm('notice-to-done-p99', 'Interruptions are handled too slowly (p99 from notice to done): targets may still get traffic when the instance goes away.',
      { ...plain(handlerMetric('NoticeToDoneMs')), extendedStatistic: 'p99', evaluateLowSampleCountPercentiles: 'evaluate' },
      threshold('noticeToDoneP99Ms', 60_000), checkCount('latencyEvaluationPeriods', props.latencyEvaluationPeriods ?? 1));
    alarm('last-deregistration-p99', 'Dying nodes leave their target groups too slowly (p99 from notice to the last deregistration): the API budget or the wave is too small for the interruptions seen. Check ThrottledCalls and WaveSize on the dashboard.',
      { ...plain(handlerMetric('NoticeToLastDeregistrationMs')), extendedStatistic: 'p99', evaluateLowSampleCountPercentiles: 'evaluate' },
      threshold('lastDeregistrationP99Ms', 60_000), checkCount('latencyEvaluationPeriods', props.latencyEvaluationPeriods ?? 1));
  }

  /** The alarm topic: the handler's key (its policy already lets CloudWatch use it), CloudWatch may publish, TLS only. */
  private ownTopic(handler: TerminationHandlerReference, emails: string[]): string {
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const region = new DataAwsRegion(this, 'region').region;
    const topic = new SnsTopic(this, 'topic', { name: physicalName(this, handler.namePrefix, 'interruption-alarms', 256), kmsMasterKeyId: handler.topicKeyArn });
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: topic.arn,
      policy: terraformJson({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic.arn,
            Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` } },
          },
          { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:*', Resource: topic.arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      }),
    });
    emails.forEach((endpoint, i) => new SnsTopicSubscription(this, `email-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint }));
    return topic.arn;
  }
}

function plain(m: MetricRef, statistic?: string): AlarmShape {
  return { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, ...(statistic ? { statistic } : {}) };
}

/** StepFailed carries a Step dimension: sum one query per step (the ids are the step names). */
function failedStepsQuery(period: number): NonNullable<AlarmShape['metricQuery']> {
  const perStep = HANDLER_STEPS.map((step) => {
    const m = stepMetric('StepFailed', step);
    return { id: step, returnData: false, metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { ...m.dimensions }, period, stat: 'Sum' } };
  });
  return [...perStep, { id: 'failed_steps', label: 'Failed steps', expression: `SUM([${HANDLER_STEPS.join(', ')}])`, returnData: true }];
}

function checkPeriod(seconds: number): number {
  if ([10, 20, 30].includes(seconds) || (Number.isInteger(seconds) && seconds > 0 && seconds % 60 === 0)) return seconds;
  throw new Error(`InterruptionAlarms: periodSeconds must be 10, 20, 30 or a multiple of 60 (CloudWatch's rule), got ${seconds}`);
}

function checkThreshold(field: string, value: number): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw new Error(`InterruptionAlarms: ${field} must be a number >= 0, got ${value}`);
}

function checkCount(field: string, value: number): number {
  if (Number.isInteger(value) && value >= 1) return value;
  throw new Error(`InterruptionAlarms: ${field} must be a whole number >= 1, got ${value}`);
}
