/** The operations wired into the default cluster stack, around the real termination handler. */
import { only, resources, synthPlatform } from '../support/synth';

describe('operations in the cluster stack', () => {
  const { cluster } = synthPlatform({ notificationEmails: ['oncall@example.com'] });
  const alarms = resources(cluster, 'aws_cloudwatch_metric_alarm');
  const byMetric = (name: string) => alarms.find((a) => a.metric_name === name)!;

  it('watches the handler function and its failure queue', () => {
    expect(alarms).toHaveLength(6);
    expect(byMetric('Errors').dimensions.FunctionName).toMatch(/^\$\{aws_lambda_function\.termination_function_\w+\.function_name\}$/);
    expect(byMetric('ApproximateNumberOfMessagesVisible').dimensions.QueueName).toMatch(/^\$\{aws_sqs_queue\.termination_messaging_failures_\w+\.name\}$/);
    expect(byMetric('ApproximateNumberOfMessagesVisible').alarm_description).toContain('${aws_sqs_queue.termination_messaging_failures_');
  });

  it('encrypts the alarm topic with the handler topic key, which lets CloudWatch use it', () => {
    const topics = resources(cluster, 'aws_sns_topic');
    const alarmTopic = topics.find((t) => t.name === 'spot-ready-interruption-alarms')!;
    const summaryTopic = topics.find((t) => t.name === 'spot-ready-interruptions')!;
    expect(alarmTopic.kms_master_key_id).toBe(summaryTopic.kms_master_key_id);
    const keyId = /aws_kms_key\.(\w+)\.arn/.exec(alarmTopic.kms_master_key_id)![1];
    const keyPolicy = JSON.parse(cluster.resource!.aws_kms_key[keyId].policy);
    expect(keyPolicy.Statement.find((s: any) => s.Principal.Service === 'cloudwatch.amazonaws.com').Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(resources(cluster, 'aws_sns_topic_subscription').filter((s) => s.topic_arn.includes('operations_alarms_topic'))).toHaveLength(1);
  });

  it('drills this cluster, logs encrypted with the cluster key, and outputs the template id', () => {
    const template = only(cluster, 'aws_fis_experiment_template');
    expect(template.target[0].resource_tag).toEqual([{ key: 'kubernetes.io/cluster/spot-ready', value: 'owned' }]);
    const drillLogs = resources(cluster, 'aws_cloudwatch_log_group').find((g) => String(g.name).startsWith('/aws/fis/'))!;
    expect(drillLogs.kms_key_id).toMatch(/^\$\{aws_kms_key\.key_\w+\.arn\}$/);
    // Fixed output names: the runbook reads them with `terraform output -raw <name>`.
    expect(cluster.output).toMatchObject({
      interruption_drill_template_id: { value: expect.stringMatching(/^\$\{aws_fis_experiment_template\.\w+\.id\}$/) },
      interruption_failure_queue_url: { value: expect.stringMatching(/^\$\{aws_sqs_queue\.termination_messaging_failures_\w+\.url\}$/) },
      interruption_alarm_topic_arn: { value: expect.stringMatching(/^\$\{aws_sns_topic\.operations_alarms_topic_\w+\.arn\}$/) },
    });
    expect(only(cluster, 'aws_cloudwatch_dashboard').dashboard_name).toBe('spot-ready-interruptions');
  });
});
