import { checkStack, RULES } from '../../policy/rules';
import { TfJson } from '../../policy/terraform-json';
import { synthPlatform } from '../support/synth';

/** A copy of a good stack with one thing made bad. */
function spoil(tf: TfJson, mutate: (tf: any) => void): TfJson {
  const copy = JSON.parse(JSON.stringify(tf));
  mutate(copy);
  return copy;
}
const first = (tf: any, type: string) => Object.values(tf.resource[type])[0] as any;
const policyOf = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const flowLogsRole = (tf: any) => Object.values(tf.resource.aws_iam_role).find((r: any) => r.name_prefix === 'vpc-flow-logs-') as any;
const addRolePolicy = (statements: object[]) => (tf: any) => {
  tf.resource.aws_iam_role_policy.bad = { role: 'x', policy: policyOf(statements) };
};

describe('security policy suite', () => {
  const { cluster, workloads } = synthPlatform({ adminPrincipalArn: 'arn:aws:iam::123456789012:role/Admin' });

  it.each([['cluster', cluster], ['workloads', workloads]])('passes the default %s stack', (_name, tf) => {
    expect(checkStack(tf)).toEqual([]);
  });

  // Every engine's variant, with every monitoring provider somewhere in the mix.
  it.each([
    ['asg', { capacityEngine: 'asg', monitoringProvider: 'mackerel', monitoringSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mk-AbCdEf' }],
    ['spotinst', { capacityEngine: 'spotinst', spotinstAccount: 'act-12345678', monitoringProvider: 'webhook', monitoringSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:wh-AbCdEf', monitoringWebhookUrl: 'https://hooks.example.com/spot' }],
    ['karpenter', { capacityEngine: 'karpenter', monitoringProvider: 'datadog', monitoringSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dd-AbCdEf', backend: 's3', stateBucket: 'tf-state' }],
  ] as const)('passes every stack of the %s variant', (_engine, overrides) => {
    const stacks = synthPlatform(overrides as never);
    expect([...checkStack(stacks.cluster), ...checkStack(stacks.workloads)]).toEqual([]);
  });

  it('passes a cluster with every cluster knob set', () => {
    const tuned = synthPlatform({
      publicAccessCidrs: ['203.0.113.0/24'],
      accessEntries: { dev: { principalArn: 'arn:aws:iam::123456789012:role/Dev', policies: [{ policy: 'AmazonEKSEditPolicy', namespaces: ['apps'] }] } },
      addonConfiguration: { 'vpc-cni': { podIdentity: { serviceAccount: 'aws-node', managedPolicies: ['AmazonEKS_CNI_Policy'] } }, coredns: { configurationValues: { replicaCount: 3 } } },
      clusterSecurityGroupRules: { vpn: { description: 'VPN', direction: 'ingress', protocol: 'tcp', fromPort: 443, cidrIpv4: '10.8.0.0/16' } },
      fargateProfiles: { batch: { selectors: [{ namespace: 'batch' }] } },
      tags: { team: 'platform' },
    });
    expect([...checkStack(tuned.cluster), ...checkStack(tuned.workloads)]).toEqual([]);
  });

  it('reports the opt-ins that loosen the defaults', () => {
    const ssm = checkStack(synthPlatform({ nodeSsmAccess: true }).cluster);
    expect(ssm).toEqual([expect.objectContaining({ rule: 'iam-no-read-everything', message: expect.stringContaining('AmazonSSMManagedInstanceCore') })]);
  });

  // Each rule must fire on a stack spoiled in exactly the way it guards against.
  const cases: [string, TfJson, (tf: any) => void][] = [
    ['imdsv2-required', cluster, (tf) => { tf.resource.aws_launch_template = { lt: { metadata_options: { http_tokens: 'optional' } } }; }],
    ['imdsv2-required', workloads, (tf) => { tf.resource.kubernetes_manifest = { nc: { manifest: { kind: 'EC2NodeClass', spec: { metadataOptions: { httpTokens: 'optional' } } } } }; }],
    ['imdsv2-required', cluster, (tf) => { tf.resource.spotinst_ocean_aws = { o: { name: 'o' } }; }],
    ['iam-no-wildcard-action', cluster, addRolePolicy([{ Effect: 'Allow', Action: ['ec2:*'], Resource: ['arn:aws:ec2:eu-west-1:1:instance/i-1'] }])],
    ['iam-no-wildcard-resource-on-mutation', cluster, addRolePolicy([{ Effect: 'Allow', Action: ['ec2:TerminateInstances'], Resource: ['*'] }])],
    ['no-public-resource-policy', cluster, (tf) => { tf.resource.aws_sqs_queue_policy.bad = { policy: policyOf([{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }]) }; }],
    ['kms-rotation', cluster, (tf) => { first(tf, 'aws_kms_key').enable_key_rotation = false; }],
    ['eks-secrets-encrypted', cluster, (tf) => { delete first(tf, 'aws_eks_cluster').encryption_config; }],
    ['eks-control-plane-logging', cluster, (tf) => { first(tf, 'aws_eks_cluster').enabled_cluster_log_types = ['api']; }],
    ['log-retention', cluster, (tf) => { delete first(tf, 'aws_cloudwatch_log_group').retention_in_days; }],
    ['lambda-resilience', cluster, (tf) => { delete tf.resource.aws_lambda_function_event_invoke_config; }],
    ['lambda-resilience', cluster, (tf) => { delete first(tf, 'aws_lambda_function').tracing_config; }],
    ['lambda-resilience', cluster, (tf) => { delete first(tf, 'aws_lambda_function').reserved_concurrent_executions; }],
    ['messaging-encrypted', cluster, (tf) => { delete first(tf, 'aws_sns_topic').kms_master_key_id; }],
    ['messaging-encrypted', cluster, (tf) => { first(tf, 'aws_sqs_queue').sqs_managed_sse_enabled = false; }],
    ['messaging-encrypted', cluster, (tf) => { delete first(tf, 'aws_dynamodb_table').server_side_encryption; }],
    ['ecr-hardened', cluster, (tf) => { first(tf, 'aws_ecr_repository').image_tag_mutability = 'MUTABLE'; }],
    ['restricted-containers', workloads, (tf) => { first(tf, 'kubernetes_daemon_set_v1').spec.template.spec.container[0].security_context.read_only_root_filesystem = false; }],
    ['restricted-containers', workloads, (tf) => { first(tf, 'kubernetes_daemon_set_v1').metadata.name = 'something-else'; }],
    ['eks-endpoint-not-public', cluster, (tf) => { Object.assign(first(tf, 'aws_eks_cluster').vpc_config, { endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24', '0.0.0.0/0'] }); }],
    ['eks-endpoint-not-public', cluster, (tf) => { Object.assign(first(tf, 'aws_eks_cluster').vpc_config, { endpoint_public_access: true, public_access_cidrs: undefined }); }],
    ['eks-endpoint-not-public', cluster, (tf) => { delete first(tf, 'aws_eks_cluster').vpc_config.endpoint_public_access; }],
    ['iam-trust-source-condition', cluster, (tf) => { flowLogsRole(tf).assume_role_policy = policyOf([{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }]); }],
    ['iam-trust-source-condition', cluster, (tf) => { tf.resource.aws_iam_role.events = { assume_role_policy: policyOf([{ Effect: 'Allow', Principal: { Service: ['events.amazonaws.com'] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalTag/x': 'y' } } }]) }; }],
    ['iam-no-read-everything', cluster, (tf) => { tf.resource.aws_iam_role_policy_attachment.ssm = { role: 'r', policy_arn: 'arn:${data.aws_partition.p.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore' }; }],
    ['iam-no-read-everything', cluster, (tf) => { first(tf, 'aws_iam_role').managed_policy_arns = ['arn:aws:iam::aws:policy/ReadOnlyAccess']; }],
    ['iam-no-read-everything', cluster, addRolePolicy([{ Effect: 'Allow', Action: ['secretsmanager:GetSecret*'], Resource: ['*'] }])],
    ['no-secret-literals', cluster, (tf) => { first(tf, 'aws_lambda_function').environment.variables.DD_API_KEY = '0123456789abcdef0123456789abcdef'; }],
    ['no-secret-literals', workloads, (tf) => { tf.provider.spotinst = [{ token: 'literal-token' }]; }],
  ];

  it.each(cases)('rule %s fires on a stack spoiled for it', (rule, tf, mutate) => {
    const violations = checkStack(spoil(tf, mutate));
    expect(violations.map((x) => x.rule)).toContain(rule);
    for (const x of violations) expect(x.resource).not.toBe('');
  });

  it('reads policies rendered with Fn.jsonencode as well as JSON', () => {
    const jsonencoded = spoil(cluster, (tf) => {
      tf.resource.aws_iam_role_policy.bad = { role: 'x', policy: '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = ["ssm:GetParameters"], "Resource" = "*"}, {"Effect" = "Allow", "Action" = ["ec2:TerminateInstances"], "Resource" = ["*"]}]})}' };
    });
    expect(checkStack(jsonencoded).filter((x) => x.resource === 'aws_iam_role_policy.bad').map((x) => x.rule).sort()).toEqual(['iam-no-read-everything', 'iam-no-wildcard-resource-on-mutation']);
  });

  it('accepts what the rules guard against only where it is safe', () => {
    const safe = spoil(cluster, (tf) => {
      Object.assign(first(tf, 'aws_eks_cluster').vpc_config, { endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
      tf.resource.aws_iam_role.ec2 = { assume_role_policy: policyOf([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]) };
      tf.resource.aws_iam_role_policy_attachment.ecr = { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' };
      tf.resource.aws_iam_role_policy.param = { role: 'x', policy: policyOf([{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:eu-west-1:1:parameter/app/*' }]) };
    });
    expect(checkStack(safe)).toEqual([]);
  });

  it('has a spoiling case for every rule', () => {
    expect(new Set(cases.map(([rule]) => rule))).toEqual(new Set(RULES.map((r) => r.id)));
  });
});
