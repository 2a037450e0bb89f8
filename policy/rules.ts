/**
 * The security policy every synthesized stack must meet. Each rule returns violations that name
 * the resource and the rule; `checkStack` runs them all. Rules read Terraform JSON only, so they
 * cover what any construct (ours or a user's) synthesizes.
 */
import { identityPolicies, isReadOnly, resourcePolicies, trustPolicies } from './iam';
import { block, list, referenced, resourcesOf, strings, TfJson } from './terraform-json';
import { isOpenToWorld } from '../constructs/network/cidr';
import { dataReadsOf, managedPolicyReadingEverything, MANAGED_POLICIES_READING_EVERYTHING } from './read-everything';

export interface Violation {
  readonly rule: string;
  readonly resource: string;
  readonly message: string;
}

export interface Rule {
  readonly id: string;
  readonly description: string;
  check(tf: TfJson): Violation[];
}

const v = (rule: string, resource: string, message: string): Violation => ({ rule, resource, message });

/** The one workload allowed on the host network: node-manager must reach IMDS at hop limit 1. */
const HOST_NETWORK_EXCEPTIONS = new Set(['node-manager']);
/**
 * Services whose roles are handed over with iam:PassRole to a resource of the same account (an
 * instance profile, a function, a cluster) and for which AWS documents no source keys on the
 * assume-role call: a source condition cannot be written for them.
 */
const TRUST_WITHOUT_SOURCE_KEYS = new Set(['ec2.amazonaws.com', 'lambda.amazonaws.com', 'eks.amazonaws.com']);
/** Condition keys that tie a service's assume-role call to our account or resource. */
const SOURCE_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:requesttag/eks-cluster-arn'];
const hasSourceCondition = (condition: Record<string, unknown> | undefined) =>
  Object.values(condition ?? {}).some((byKey) => Object.keys(byKey as object).some((k) => SOURCE_KEYS.includes(k.toLowerCase())));
const SECRET_KEY = /(password|passwd|secret|token|api_?key|private_?key|access_?key)$/i;
const SECRET_VALUE = /(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[baprs]-[0-9A-Za-z-]{10,}|ghp_[0-9A-Za-z]{36})/;

export const RULES: Rule[] = [
  {
    id: 'imdsv2-required',
    description: 'IMDSv2 (http_tokens = required) on every launch template, Ocean, Ocean launch spec and Karpenter EC2NodeClass',
    check: (tf) => [
      ...resourcesOf(tf, 'aws_launch_template')
        .filter((r) => block(r.body.metadata_options)?.http_tokens !== 'required')
        .map((r) => v('imdsv2-required', `${r.type}.${r.name}`, 'metadata_options.http_tokens must be "required"')),
      ...resourcesOf(tf, 'spotinst_ocean_aws', 'spotinst_ocean_aws_launch_spec')
        .filter((r) => (r.type === 'spotinst_ocean_aws' || r.body.instance_metadata_options) && block(r.body.instance_metadata_options)?.http_tokens !== 'required')
        .map((r) => v('imdsv2-required', `${r.type}.${r.name}`, 'instance_metadata_options.http_tokens must be "required"')),
      ...resourcesOf(tf, 'kubernetes_manifest')
        .filter((r) => r.body.manifest?.kind === 'EC2NodeClass' && r.body.manifest?.spec?.metadataOptions?.httpTokens !== 'required')
        .map((r) => v('imdsv2-required', `${r.type}.${r.name}`, 'EC2NodeClass spec.metadataOptions.httpTokens must be "required"')),
    ],
  },
  {
    id: 'iam-no-wildcard-action',
    description: 'No IAM Allow statement with a "*" or "service:*" action',
    check: (tf) =>
      identityPolicies(tf).flatMap((doc) =>
        doc.statements
          .filter((s) => s.Effect === 'Allow' && list(s.Action).some((a) => a === '*' || a.endsWith(':*')))
          .map(() => v('iam-no-wildcard-action', doc.where, 'an Allow statement grants a wildcard action; name the actions')),
      ),
  },
  {
    id: 'iam-no-wildcard-resource-on-mutation',
    description: 'No mutating action on Resource "*" unless a Condition scopes it',
    check: (tf) =>
      identityPolicies(tf).flatMap((doc) =>
        doc.statements
          .filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*') && !s.Condition)
          .flatMap((s) => list(s.Action).filter((a) => !isReadOnly(a)))
          .map((a) => v('iam-no-wildcard-resource-on-mutation', doc.where, `${a} on "*" without a condition; scope it by ARN or tag`)),
      ),
  },
  {
    id: 'no-public-resource-policy',
    description: 'No resource policy allows Principal "*" without a condition',
    check: (tf) =>
      resourcePolicies(tf).flatMap((doc) =>
        doc.statements
          .filter((s) => s.Effect === 'Allow' && (s.Principal === '*' || (s.Principal as any)?.AWS === '*') && !s.Condition)
          .map(() => v('no-public-resource-policy', doc.where, 'allows everyone; name the principal or add a condition')),
      ),
  },
  {
    id: 'kms-rotation',
    description: 'Every customer KMS key rotates',
    check: (tf) => resourcesOf(tf, 'aws_kms_key').filter((r) => r.body.enable_key_rotation !== true).map((r) => v('kms-rotation', `${r.type}.${r.name}`, 'enable_key_rotation must be true')),
  },
  {
    id: 'eks-secrets-encrypted',
    description: 'EKS secrets encrypted with a rotating KMS key of this stack',
    check: (tf) =>
      resourcesOf(tf, 'aws_eks_cluster').flatMap((r) => {
        const enc = block(r.body.encryption_config);
        const key = referenced(tf, block(enc?.provider)?.key_arn);
        if (!enc || !list(enc.resources).includes('secrets')) return [v('eks-secrets-encrypted', `${r.type}.${r.name}`, 'encryption_config must cover "secrets"')];
        if (!key || key.type !== 'aws_kms_key' || key.body.enable_key_rotation !== true) return [v('eks-secrets-encrypted', `${r.type}.${r.name}`, 'secrets must be encrypted with an aws_kms_key that rotates')];
        return [];
      }),
  },
  {
    id: 'eks-control-plane-logging',
    description: 'EKS api, audit and authenticator logs enabled',
    check: (tf) =>
      resourcesOf(tf, 'aws_eks_cluster')
        .filter((r) => !['api', 'audit', 'authenticator'].every((t) => list(r.body.enabled_cluster_log_types).includes(t)))
        .map((r) => v('eks-control-plane-logging', `${r.type}.${r.name}`, 'enabled_cluster_log_types must include api, audit and authenticator')),
  },
  {
    id: 'log-retention',
    description: 'Every log group has a retention period',
    check: (tf) => resourcesOf(tf, 'aws_cloudwatch_log_group').filter((r) => !(r.body.retention_in_days > 0)).map((r) => v('log-retention', `${r.type}.${r.name}`, 'retention_in_days must be set')),
  },
  {
    id: 'lambda-resilience',
    description: 'Every Lambda has an on-failure destination or DLQ, reserved concurrency and active tracing',
    check: (tf) => {
      const withDestination = new Set(
        resourcesOf(tf, 'aws_lambda_function_event_invoke_config')
          .filter((c) => block(block(c.body.destination_config)?.on_failure)?.destination)
          .map((c) => referenced(tf, c.body.function_name)?.name),
      );
      return resourcesOf(tf, 'aws_lambda_function').flatMap((r) => {
        const where = `${r.type}.${r.name}`;
        return [
          ...(!withDestination.has(r.name) && !block(r.body.dead_letter_config)?.target_arn ? [v('lambda-resilience', where, 'needs an on-failure destination or a dead-letter queue')] : []),
          ...(!(r.body.reserved_concurrent_executions > 0) ? [v('lambda-resilience', where, 'needs reserved_concurrent_executions')] : []),
          ...(block(r.body.tracing_config)?.mode !== 'Active' ? [v('lambda-resilience', where, 'tracing_config.mode must be "Active"')] : []),
        ];
      });
    },
  },
  {
    id: 'messaging-encrypted',
    description: 'SNS topics, SQS queues and DynamoDB tables encrypted',
    check: (tf) => [
      ...resourcesOf(tf, 'aws_sns_topic').filter((r) => !r.body.kms_master_key_id).map((r) => v('messaging-encrypted', `${r.type}.${r.name}`, 'kms_master_key_id must be set')),
      ...resourcesOf(tf, 'aws_sqs_queue').filter((r) => r.body.sqs_managed_sse_enabled !== true && !r.body.kms_master_key_id).map((r) => v('messaging-encrypted', `${r.type}.${r.name}`, 'needs sqs_managed_sse_enabled or kms_master_key_id')),
      ...resourcesOf(tf, 'aws_dynamodb_table').filter((r) => block(r.body.server_side_encryption)?.enabled !== true).map((r) => v('messaging-encrypted', `${r.type}.${r.name}`, 'server_side_encryption.enabled must be true')),
    ],
  },
  {
    id: 'ecr-hardened',
    description: 'ECR repositories scan on push and have immutable tags',
    check: (tf) =>
      resourcesOf(tf, 'aws_ecr_repository')
        .filter((r) => block(r.body.image_scanning_configuration)?.scan_on_push !== true || r.body.image_tag_mutability !== 'IMMUTABLE')
        .map((r) => v('ecr-hardened', `${r.type}.${r.name}`, 'needs image_scanning_configuration.scan_on_push and image_tag_mutability IMMUTABLE')),
  },
  {
    id: 'restricted-containers',
    description: 'Containers non-root, read-only root filesystem, all capabilities dropped, no privilege escalation; host network only for node-manager',
    check: (tf) =>
      resourcesOf(tf, 'kubernetes_daemon_set_v1', 'kubernetes_deployment_v1', 'kubernetes_stateful_set_v1', 'kubernetes_job_v1').flatMap((r) => {
        const where = `${r.type}.${r.name}`;
        const pod = block(block(block(r.body.spec)?.template)?.spec) ?? {};
        const name = block(r.body.metadata)?.name;
        const out = pod.host_network === true && !HOST_NETWORK_EXCEPTIONS.has(name) ? [v('restricted-containers', where, 'host_network is allowed only for node-manager')] : [];
        for (const c of [...list(pod.container), ...list(pod.init_container)] as any[]) {
          const sc = block(c.security_context) ?? {};
          const bad = [
            sc.run_as_non_root !== true && 'run_as_non_root',
            sc.read_only_root_filesystem !== true && 'read_only_root_filesystem',
            sc.allow_privilege_escalation !== false && 'allow_privilege_escalation=false',
            !list(block(sc.capabilities)?.drop).includes('ALL') && 'capabilities.drop ALL',
            sc.privileged === true && 'not privileged',
          ].filter(Boolean);
          if (bad.length) out.push(v('restricted-containers', where, `container ${c.name} needs ${bad.join(', ')}`));
        }
        return out;
      }),
  },
  {
    id: 'eks-endpoint-not-public',
    description: 'EKS API endpoint not reachable from the whole internet (public access off, or limited to CIDRs no wider than /8)',
    check: (tf) =>
      resourcesOf(tf, 'aws_eks_cluster').flatMap((r) => {
        const vpc = block(r.body.vpc_config) ?? {};
        if (vpc.endpoint_public_access === false) return [];
        const cidrs = list<string>(vpc.public_access_cidrs);
        const open = cidrs.length === 0 ? ['0.0.0.0/0 (the default when public_access_cidrs is unset)'] : cidrs.filter(isOpenToWorld);
        return open.map((c) => v('eks-endpoint-not-public', `${r.type}.${r.name}`, `public endpoint open to ${c}; list the networks that need it or turn endpoint_public_access off`));
      }),
  },
  {
    id: 'iam-trust-source-condition',
    description: 'A role an AWS service assumes is pinned to this account or resource (aws:SourceAccount / aws:SourceArn) against confused deputies',
    check: (tf) =>
      trustPolicies(tf).flatMap((doc) =>
        doc.statements
          .filter((s) => s.Effect === 'Allow' && !hasSourceCondition(s.Condition))
          .flatMap((s) => list<string>((s.Principal as { Service?: string | string[] } | undefined)?.Service))
          .filter((service) => !service.startsWith('${') && !TRUST_WITHOUT_SOURCE_KEYS.has(service))
          .map((service) => v('iam-trust-source-condition', doc.where, `${service} may assume the role for any account's resource; add aws:SourceAccount and aws:SourceArn conditions`)),
      ),
  },
  {
    id: 'iam-no-read-everything',
    description: "No AWS-managed policy that reads every parameter, secret, object, item, message or log event, and no data-read action on \"*\" without a condition",
    check: (tf) => [
      ...resourcesOf(tf, 'aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment')
        .map((r) => [r, managedPolicyReadingEverything(r.body.policy_arn)] as const)
        .filter(([, name]) => name)
        .map(([r, name]) => v('iam-no-read-everything', `${r.type}.${r.name}`, `${name} grants ${MANAGED_POLICIES_READING_EVERYTHING[name!]}; grant the narrower actions on named resources instead`)),
      ...resourcesOf(tf, 'aws_iam_role').flatMap((r) =>
        list<string>(r.body.managed_policy_arns)
          .map(managedPolicyReadingEverything)
          .filter((name) => name)
          .map((name) => v('iam-no-read-everything', `${r.type}.${r.name}`, `${name} grants ${MANAGED_POLICIES_READING_EVERYTHING[name!]}`)),
      ),
      ...identityPolicies(tf).flatMap((doc) =>
        doc.statements
          .filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*') && !s.Condition)
          .flatMap((s) => list(s.Action).flatMap(dataReadsOf))
          .map((a) => v('iam-no-read-everything', doc.where, `${a} on "*" reads every such resource of the account; name the resources`)),
      ),
    ],
  },
  {
    id: 'no-secret-literals',
    description: 'No secret literal in any resource, provider or data source',
    check: (tf) =>
      [...strings({ resource: tf.resource, provider: tf.provider, data: tf.data })]
        .filter(([path, value]) => SECRET_VALUE.test(value) || (SECRET_KEY.test(path.split('.').pop()!.replace(/\[\d+\]$/, '')) && value !== '' && !value.startsWith('${') && !value.startsWith('arn:')))
        .map(([path]) => v('no-secret-literals', path, 'looks like a secret literal; take it from a sensitive variable or Secrets Manager')),
  },
];

/** Every violation of every rule in one stack. */
export function checkStack(tf: TfJson, rules: Rule[] = RULES): Violation[] {
  return rules.flatMap((rule) => rule.check(tf));
}
