import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EksCluster, TerminationHandler, type TerminationHandlerProps } from '../../constructs';
import { TERMINATION_HANDLER_IAM_ACTIONS } from '../../lambda/termination-handler/iam';
import type { SignalKind } from '../../contract/interruption-notice';
import { literalCluster } from '../support/literal-cluster';
import { only, resources, statements, synthPlatform } from '../support/synth';
import { HANDLED_EVENT_KINDS } from '../../lambda/termination-handler/event-kinds';
import { parseEvent } from '../../lambda/termination-handler/parse-event';
import { sampleEvent, type SampleKind } from '../lambda/support/sample-events';

/** EventBridge matching for the pattern forms the rules use: every field's value must be one of those listed. */
function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) =>
    Array.isArray(expected)
      ? expected.includes(event[key])
      : typeof event[key] === 'object' && event[key] !== null && matchesPattern(expected as Record<string, unknown>, event[key] as Record<string, unknown>),
  );
}

const MUTATING = /^(ec2:(Modify|Create|Delete|Run|Terminate|Attach|Detach)|elasticloadbalancing:(Deregister|Register|Modify|Delete)|sns:Publish|sqs:Send|dynamodb:(Put|Update|Delete)|lambda:Invoke|iam:|kms:(Encrypt|GenerateDataKey|Decrypt))/;

describe('TerminationHandler', () => {
  const { cluster, workloads } = synthPlatform({
    monitoringProvider: 'datadog',
    monitoringSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog-AbCdEf',
    notificationEmails: ['oncall@example.com'],
  });
  const fn = only(cluster, 'aws_lambda_function');
  const named = (type: string, suffix: string) => {
    const found = resources(cluster, type).filter((r) => String(r.name).endsWith(suffix));
    if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}, found ${found.length}`);
    return found[0];
  };
  const policy = statements(resources(cluster, 'aws_iam_role_policy').find((p) => String(p.role).includes('termination_role'))!.policy);

  it('runs the esbuild bundle on Node 22, arm64, traced, with reserved concurrency', () => {
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler', tracing_config: { mode: 'Active' } });
    expect(fn.reserved_concurrent_executions).toBeGreaterThan(0);
    // The wave leader outlives a wave; waiting invocations know how long they may wait.
    expect(String(fn.timeout)).toBe(fn.environment.variables.FUNCTION_TIMEOUT_SECONDS);
    expect(Number(fn.environment.variables.API_RESERVED_SHARE)).toBe(0.25);
    expect(fn.filename).toMatch(/^assets\/.+\/termination-handler\.[0-9a-f]{12}\.zip$/);
    // Its environment is encrypted with the handler's own key, which its role may decrypt with.
    const keyStatement = policy.find((s) => ([] as string[]).concat(s.Action).includes('kms:Decrypt'))!;
    expect(keyStatement.Resource).toEqual([fn.kms_key_arn]);
  });

  it('never grants a mutating action on "*" and scopes ENI changes to the cluster VPC', () => {
    for (const s of policy) {
      const actions = ([] as string[]).concat(s.Action);
      const onStar = ([] as string[]).concat(s.Resource).includes('*');
      expect(actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
      if (onStar) expect(actions.filter((a) => MUTATING.test(a))).toEqual([]);
    }
    const eni = policy.find((s) => String(s.Resource).includes('network-interface/*'))!;
    expect(eni.Condition.StringEquals['ec2:Vpc']).toMatch(/vpc\/\$\{aws_vpc\./);
    const deregister = policy.find((s) => ([] as string[]).concat(s.Action).includes('elasticloadbalancing:DeregisterTargets'))!;
    expect(deregister.Resource).toEqual([expect.stringMatching(/:targetgroup\/\*\/\*$/)]);
  });

  it('grants every action the handler code calls', () => {
    const granted = new Set(policy.flatMap((s) => ([] as string[]).concat(s.Action)));
    expect(TERMINATION_HANDLER_IAM_ACTIONS.filter((a) => !granted.has(a))).toEqual([]);
  });

  it('reads the monitoring secret from Secrets Manager, never from a literal', () => {
    expect(fn.environment.variables).toMatchObject({ MONITORING_PROVIDER: 'datadog', MONITORING_SECRET_ARN: expect.stringContaining(':secret:datadog') });
    expect(policy.find((s) => ([] as string[]).concat(s.Action).includes('secretsmanager:GetSecretValue'))!.Resource).toEqual([
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:datadog-AbCdEf',
    ]);
  });

  it('retries async invokes twice within 300 s and parks failures in an encrypted queue', () => {
    const async = only(cluster, 'aws_lambda_function_event_invoke_config');
    expect(async).toMatchObject({ maximum_retry_attempts: 2, maximum_event_age_in_seconds: 300 });
    expect(async.destination_config.on_failure.destination).toMatch(/^\$\{aws_sqs_queue\..+\.arn\}$/);
    expect(named('aws_sqs_queue', '-termination-failures').sqs_managed_sse_enabled).toBe(true);
    expect(policy.find((s) => ([] as string[]).concat(s.Action).includes('sqs:SendMessage'))).toBeDefined();
  });

  it('publishes to a KMS-encrypted topic with the e-mail subscribers', () => {
    expect(named('aws_sns_topic', '-interruptions').kms_master_key_id).toMatch(/aws_kms_key/);
    const summaryTopic = Object.keys(cluster.resource!.aws_sns_topic).find((id) => id.startsWith('termination_messaging_topic'));
    expect(resources(cluster, 'aws_sns_topic_subscription').filter((s) => s.topic_arn === `\${aws_sns_topic.${summaryTopic}.arn}`)).toEqual([
      expect.objectContaining({ protocol: 'email', endpoint: 'oncall@example.com' }),
    ]);
  });

  it.each(HANDLED_EVENT_KINDS.map((k) => [k.id, k] as const))('routes the %s events to the function with a rule of its own', (id, kind) => {
    const rule = named('aws_cloudwatch_event_rule', `-interruption-${id}`);
    const pattern = JSON.parse(rule.event_pattern);
    expect(pattern).toMatchObject({ source: [kind.source], 'detail-type': [kind.detailType] });
    // The rule delivers AWS's own sample of the kind, and the handler's parser accepts that sample.
    const sample = sampleEvent(id as SampleKind);
    expect(matchesPattern(pattern, sample)).toBe(true);
    expect(parseEvent(sample, Date.parse(sample.time)).status).toBe('ok');
    const ruleId = Object.entries(cluster.resource!.aws_cloudwatch_event_rule).find(([, r]) => r === rule)![0];
    expect(resources(cluster, 'aws_cloudwatch_event_target').filter((t) => t.rule === `\${aws_cloudwatch_event_rule.${ruleId}.name}`)).toEqual([
      expect.objectContaining({ arn: expect.stringMatching(/aws_lambda_function/) }),
    ]);
    expect(resources(cluster, 'aws_lambda_permission').filter((p) => p.source_arn === `\${aws_cloudwatch_event_rule.${ruleId}.arn}`)).toEqual([
      expect.objectContaining({ principal: 'events.amazonaws.com', action: 'lambda:InvokeFunction' }),
    ]);
  });

  it('filters state changes to the states the handler acts on, and Health events to EC2 scheduled changes', () => {
    const pattern = (id: string) => JSON.parse(named('aws_cloudwatch_event_rule', `-interruption-${id}`).event_pattern);
    expect(pattern('state-change').detail).toEqual({ state: ['stopping', 'stopped', 'shutting-down', 'terminated'] });
    expect(matchesPattern(pattern('state-change'), sampleEvent('state-change', { detail: { state: 'running' } }))).toBe(false);
    expect(pattern('health-scheduled').detail).toEqual({ service: ['EC2'], eventTypeCategory: ['scheduledChange'] });
    expect(pattern('asg-lifecycle').source).toEqual(['aws.autoscaling']);
  });

  it('grants nothing beyond what the handler code calls and what Lambda itself needs (logs, failure queue, keys)', () => {
    const platform = new Set(['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage', 'kms:GenerateDataKey', 'kms:Decrypt']);
    const code = new Set<string>(TERMINATION_HANDLER_IAM_ACTIONS);
    const granted = [...new Set(policy.flatMap((s) => ([] as string[]).concat(s.Action)))];
    expect(granted.filter((a) => !code.has(a) && !platform.has(a))).toEqual([]);
  });

  it('creates a quarantine group with no ingress', () => {
    const sg = resources(cluster, 'aws_security_group').find((g) => String(g.name).endsWith('quarantine'))!;
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toHaveLength(1);
  });

  it('lets node-manager invoke this one function and nothing else', () => {
    const grants = resources(workloads, 'aws_iam_role_policy').map((p) => statements(p.policy));
    expect(grants).toHaveLength(1);
    expect(grants[0]).toEqual([
      { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [expect.stringMatching(/cross-stack-output-aws_lambda_function.+arn\}$/)] },
    ]);
  });

  it('passes the acted-on EventBridge signals to the function, and refuses an unknown one at synth naming the field', () => {
    expect(fn.environment.variables.ACT_ON).toBe('spot-interruption,asg-termination,instance-state-change'); // the platform's one list
    const handlerWith = (eventActOn: string[]) => {
      const stack = new TerraformStack(Testing.app(), 'handler');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      new TerminationHandler(stack, 'termination', { cluster: literalCluster('demo'), eventActOn: eventActOn as SignalKind[] });
      return only(JSON.parse(Testing.synth(stack)), 'aws_lambda_function');
    };
    expect(handlerWith(['spot-interruption', 'scheduled-maintenance']).environment.variables.ACT_ON).toBe('spot-interruption,scheduled-maintenance');
    expect(handlerWith(['spot-interruption']).environment.variables.ACT_ON).toBe('spot-interruption');
    expect(() => handlerWith(['spot-interruption', 'solar-flare'])).toThrow(/eventActOn must list at least one of spot-interruption, .* \(got 'solar-flare'\)\. Fix/);
    expect(() => handlerWith([])).toThrow(/eventActOn must list at least one of .*\(got an empty list\)/);
  });

  describe('API budget and discovery props', () => {
    const build = (props: Partial<TerminationHandlerProps>) => {
      const stack = new TerraformStack(Testing.app(), 'props');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      const cluster = EksCluster.fromClusterName(stack, 'cluster', { clusterName: 'demo', nodeRoleName: 'demo-nodes' });
      new TerminationHandler(stack, 'termination', { cluster, ...props });
      return JSON.parse(Testing.synth(stack)).resource.aws_lambda_function;
    };
    const env = (fns: Record<string, { environment: { variables: Record<string, string> } }>) => Object.values(fns)[0]!.environment.variables;

    it('passes the reserved share and the discovery to the function', () => {
      expect(env(build({ apiReservedShare: 0.5, targetGroupDiscovery: 'cluster-tag', extraTargetGroupArns: ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef'] })))
        .toMatchObject({ API_RESERVED_SHARE: '0.5', TARGET_GROUP_DISCOVERY: 'cluster-tag', TARGET_GROUP_ARNS: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef' });
      expect(env(build({}))).toMatchObject({ TARGET_GROUP_DISCOVERY: 'vpc' });
    });

    it('names the prop and the fix on bad input', () => {
      expect(() => build({ apiReservedShare: 1 })).toThrow(/apiReservedShare must be a share from 0 to 0.95 \(e.g. 0.25\), got 1/);
      expect(() => build({ extraTargetGroupArns: ['arn:x'] })).toThrow(/extraTargetGroupArns only applies with targetGroupDiscovery: 'cluster-tag'/);
    });
  });
});
