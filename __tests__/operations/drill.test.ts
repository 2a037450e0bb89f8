import { only, resources, statements } from '../support/synth';
import { synthOperations } from './support';

const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*$/;

describe('InterruptionDrill', () => {
  const tf = synthOperations();
  const template = only(tf, 'aws_fis_experiment_template');
  const role = resources(tf, 'aws_iam_role').find((r) => r.name === 'demo-interruption-drill')!;
  const policy = statements(resources(tf, 'aws_iam_role_policy').find((p) => String(p.role).includes('operations_drill_role'))!.policy) as any[];

  it('sends a spot interruption with two minutes notice to the cluster spot instances', () => {
    const [action] = template.action;
    expect(template.action).toHaveLength(1);
    expect(action).toMatchObject({
      action_id: 'aws:ec2:send-spot-instance-interruptions',
      parameter: [{ key: 'durationBeforeInterruption', value: 'PT2M' }],
      target: { key: 'SpotInstances' },
    });
    const [target] = template.target;
    expect(target.name).toBe(action.target.value);
    expect(target).toMatchObject({
      resource_type: 'aws:ec2:spot-instance',
      selection_mode: 'COUNT(1)',
      resource_tag: [{ key: 'kubernetes.io/cluster/demo', value: 'owned' }],
      filter: [{ path: 'State.Name', values: ['running'] }],
    });
  });

  it('stops when the failure-queue alarm fires, and logs to its own retained log group', () => {
    const [alarmId, alarm] = Object.entries(tf.resource!.aws_cloudwatch_metric_alarm).find(([, a]) => a.metric_name === 'ApproximateNumberOfMessagesVisible')!;
    expect(alarm.alarm_name).toBe('demo-interruption-failure-queue');
    expect(template.stop_condition).toEqual([{ source: 'aws:cloudwatch:alarm', value: `\${aws_cloudwatch_metric_alarm.${alarmId}.arn}` }]);
    const [logId, logGroup] = Object.entries(tf.resource!.aws_cloudwatch_log_group)[0];
    expect(logGroup).toMatchObject({ name: '/aws/fis/demo-interruption-drill', retention_in_days: 365 });
    expect(template.log_configuration).toEqual({ log_schema_version: 2, cloudwatch_logs_configuration: { log_group_arn: `\${aws_cloudwatch_log_group.${logId}.arn}:*` } });
    expect(template.role_arn).toMatch(/^\$\{aws_iam_role\.operations_drill_role_\w+\.arn\}$/);
  });

  it('outputs the template id for `aws fis start-experiment`', () => {
    expect(tf.output?.interruption_drill_template_id).toMatchObject({ value: expect.stringMatching(/^\$\{aws_fis_experiment_template\.\w+\.id\}$/), description: expect.stringContaining('aws fis start-experiment') });
  });

  it('has a role only FIS can assume, for experiments of this account and region', () => {
    const [trust] = JSON.parse(role.assume_role_policy).Statement;
    expect(trust).toMatchObject({
      Principal: { Service: 'fis.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': expect.stringContaining('data.aws_caller_identity') },
        ArnLike: { 'aws:SourceArn': expect.stringMatching(/^arn:.*:fis:.*:experiment\/\*$/) },
      },
    });
  });

  it('may interrupt only instances tagged as owned by this cluster', () => {
    const interrupt = policy.filter((s) => s.Action.includes('ec2:SendSpotInstanceInterruptions'));
    expect(interrupt).toHaveLength(1);
    expect(interrupt[0].Resource).toEqual([expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:ec2:\$\{data\.aws_region\.\w+\.region\}:\$\{data\.aws_caller_identity\.\w+\.account_id\}:instance\/\*$/)]);
    expect(interrupt[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/demo': 'owned' } });
  });

  it('grants no mutating action on * without a condition, no wildcard action, and the FIS log-delivery permissions', () => {
    for (const s of policy) {
      expect(s.Effect).toBe('Allow');
      expect(s.Action.every((a: string) => !a.includes('*'))).toBe(true);
      if (s.Resource.includes('*') && !s.Condition) expect(s.Action.filter((a: string) => !READ_ONLY.test(a))).toEqual([]);
    }
    const actions = policy.flatMap((s) => s.Action).sort();
    expect(actions).toEqual(['ec2:DescribeInstances', 'ec2:SendSpotInstanceInterruptions', 'logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy']);
    const resourcePolicy = policy.find((s) => s.Action.includes('logs:PutResourcePolicy'));
    expect(resourcePolicy.Resource).toEqual([expect.stringMatching(/^arn:.*:logs:\$\{data\.aws_region\.\w+\.region\}:\$\{data\.aws_caller_identity\.\w+\.account_id\}:\*$/)]);
  });

  it('takes a longer notice and another selection, and refuses what FIS would refuse, naming the prop', () => {
    const custom = only(synthOperations({ drill: { durationBeforeInterruption: 'PT5M', selectionMode: 'PERCENT(25)', logRetentionDays: 30 } }), 'aws_fis_experiment_template');
    expect(custom.action[0].parameter).toEqual([{ key: 'durationBeforeInterruption', value: 'PT5M' }]);
    expect(custom.target[0].selection_mode).toBe('PERCENT(25)');
    for (const bad of ['PT1M', 'PT16M', '2', 'PT119S']) {
      expect(() => synthOperations({ drill: { durationBeforeInterruption: bad } })).toThrow(/durationBeforeInterruption must be an ISO-8601 duration from PT2M to PT15M/);
    }
    for (const bad of ['COUNT(0)', 'PERCENT(101)', 'ONE']) {
      expect(() => synthOperations({ drill: { selectionMode: bad } })).toThrow(/selectionMode must be 'ALL', 'COUNT\(n\)'/);
    }
  });

  it('can be left out where FIS cannot interrupt spot instances', () => {
    const without = synthOperations({ drill: false });
    expect(resources(without, 'aws_fis_experiment_template')).toHaveLength(0);
    expect(resources(without, 'aws_cloudwatch_metric_alarm')).toHaveLength(6);
  });
});
