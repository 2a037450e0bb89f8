import { METRIC_NAMES, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/termination-handler/metrics';
import { ACTION_STEPS } from '../../lambda/termination-handler/types';
import { HANDLER_STEPS } from '../../constructs/interruption/operations';
import { only, resources, statements } from '../support/synth';
import { alarmsByName, handlerRef, synthOperations } from './support';

describe('InterruptionAlarms', () => {
  const tf = synthOperations();
  const alarms = alarmsByName(tf);
  const topic = only(tf, 'aws_sns_topic');
  const topicRef = expect.stringMatching(/^\$\{aws_sns_topic\.operations_alarms_topic_\w+\.arn\}$/);

  it('creates exactly the six alarms, each notifying the alarm topic on ALARM and OK, missing data not breaching', () => {
    expect(Object.keys(alarms).sort()).toEqual(['failed-steps', 'failure-queue', 'lambda-errors', 'lambda-throttles', 'last-deregistration-p99', 'notice-to-done-p99']);
    for (const alarm of Object.values(alarms)) {
      expect(alarm).toMatchObject({ treat_missing_data: 'notBreaching', comparison_operator: 'GreaterThanThreshold', alarm_actions: [topicRef], ok_actions: [topicRef] });
    }
  });

  it('alarms on the p99 from notice to the last deregistration, a metric the handler emits', () => {
    expect(alarms['last-deregistration-p99']).toMatchObject({
      metric_name: METRIC_NAMES.NoticeToLastDeregistrationMs, extended_statistic: 'p99', threshold: 60_000,
    });
  });

  it('watches Lambda errors and throttles of the handler function, any one alarming by default', () => {
    for (const [name, metric] of [['lambda-errors', 'Errors'], ['lambda-throttles', 'Throttles']]) {
      expect(alarms[name]).toMatchObject({
        namespace: 'AWS/Lambda', metric_name: metric, dimensions: { FunctionName: handlerRef.functionName },
        statistic: 'Sum', threshold: 0, period: 60, evaluation_periods: 1,
      });
    }
  });

  it('fires on any visible message in the failure queue and tells the operator to act and redrive', () => {
    const alarm = alarms['failure-queue'];
    expect(alarm).toMatchObject({
      namespace: 'AWS/SQS', metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: handlerRef.failureQueueName },
      statistic: 'Maximum', threshold: 0,
    });
    expect(alarm.alarm_description).toMatch(/a notice was not handled — act now/i);
    expect(alarm.alarm_description).toContain(`npm run redrive -- --queue-url ${handlerRef.failureQueueUrl} --function ${handlerRef.functionName}`);
  });

  it('sums StepFailed over every step the handler records, with the exact dimensions it emits', () => {
    const { metric_query: queries, ...alarm } = alarms['failed-steps'];
    expect(alarm).toMatchObject({ threshold: 0 });
    expect(alarm.metric_name).toBeUndefined();
    const perStep = queries.filter((q: any) => q.metric);
    expect(HANDLER_STEPS).toEqual(expect.arrayContaining(['verify', 'notify', ...ACTION_STEPS]));
    expect(perStep.map((q: any) => q.metric.dimensions.Step)).toEqual([...HANDLER_STEPS]);
    for (const q of perStep) {
      expect(q).toMatchObject({ return_data: false, metric: { namespace: METRICS_NAMESPACE, metric_name: METRIC_NAMES.StepFailed, stat: 'Sum', period: 60 } });
      expect(q.metric.dimensions).toEqual({ service: SERVICE_NAME, Step: q.id });
    }
    const [sum] = queries.filter((q: any) => q.expression);
    expect(sum.return_data).toBe(true);
    const summed = /^SUM\(\[(.*)\]\)$/.exec(sum.expression)![1].split(',').map((s: string) => s.trim());
    expect(summed.sort()).toEqual(perStep.map((q: any) => q.id).sort());
  });

  it('alarms when the p99 from notice to done exceeds 60 s, even on a single notice', () => {
    expect(alarms['notice-to-done-p99']).toMatchObject({
      namespace: METRICS_NAMESPACE, metric_name: METRIC_NAMES.NoticeToDoneMs, dimensions: { service: SERVICE_NAME },
      extended_statistic: 'p99', threshold: 60_000, evaluate_low_sample_count_percentiles: 'evaluate',
    });
    expect(alarms['notice-to-done-p99'].statistic).toBeUndefined();
  });

  it('publishes to its own topic, encrypted with the handler key, that only this account\'s alarms may publish to', () => {
    expect(topic).toMatchObject({ name: 'demo-interruption-alarms', kms_master_key_id: handlerRef.topicKeyArn });
    const [allow, deny] = statements(only(tf, 'aws_sns_topic_policy').policy) as any[];
    expect(allow).toMatchObject({
      Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish',
      Condition: { StringEquals: { 'aws:SourceAccount': expect.stringContaining('data.aws_caller_identity') }, ArnLike: { 'aws:SourceArn': expect.stringContaining(':alarm:*') } },
    });
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('can use the summary topic instead, with extra actions, own thresholds and period', () => {
    const custom = alarmsByName(synthOperations({
      alarms: { alarmTopic: 'summary', extraAlarmActions: ['arn:aws:sns:eu-west-1:123456789012:pager'], periodSeconds: 300, errorsThreshold: 2, noticeToDoneP99Ms: 45_000, latencyEvaluationPeriods: 3 },
    }));
    expect(custom['lambda-errors']).toMatchObject({ threshold: 2, period: 300, alarm_actions: [handlerRef.topicArn, 'arn:aws:sns:eu-west-1:123456789012:pager'], ok_actions: [handlerRef.topicArn] });
    expect(custom['notice-to-done-p99']).toMatchObject({ threshold: 45_000, evaluation_periods: 3, period: 300 });
    expect(custom['failed-steps'].metric_query[0].metric.period).toBe(300);
    expect(custom['failure-queue'].threshold).toBe(0);
  });

  it('creates no topic when the summary topic is used, and subscribes e-mails to its own', () => {
    const summary = synthOperations({ alarms: { alarmTopic: 'summary' } });
    expect(resources(summary, 'aws_sns_topic')).toHaveLength(0);
    const withEmails = synthOperations({ alarms: { emails: ['oncall@example.com'] } });
    expect(only(withEmails, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com' });
  });

  it('rejects a period CloudWatch would refuse and a negative threshold, naming the prop', () => {
    expect(() => synthOperations({ alarms: { periodSeconds: 45 } })).toThrow(/periodSeconds must be 10, 20, 30 or a multiple of 60.*45/);
    expect(() => synthOperations({ alarms: { noticeToDoneP99Ms: -1 } })).toThrow(/noticeToDoneP99Ms must be a number >= 0/);
    expect(() => synthOperations({ alarms: { latencyEvaluationPeriods: 0 } })).toThrow(/latencyEvaluationPeriods must be a whole number >= 1/);
  });
});
