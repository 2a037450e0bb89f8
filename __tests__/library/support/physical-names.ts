/**
 * Physical names of synthesized resources, with the AWS limit of each, for checking that several
 * instances of our constructs can live in one account and region.
 */
import type { TfJson } from '../../support/synth';

/** One named attribute of a resource type, its AWS length limit, and whether it must be unique. */
interface NameRule {
  readonly type: string;
  /** Attribute path, e.g. `name` or `tags.Name`; several attributes join into one composite key. */
  readonly attributes: string[];
  readonly max: number;
  /** `name_prefix` only gets a random suffix: unique by construction, only its length matters. */
  readonly unique: boolean;
}

const rule = (type: string, attribute: string | string[], max: number, unique = true): NameRule => ({
  type, attributes: [attribute].flat(), max, unique,
});

export const NAME_RULES: NameRule[] = [
  rule('aws_lambda_function', 'function_name', 64),
  rule('aws_iam_role', 'name', 64),
  rule('aws_iam_role', 'name_prefix', 38, false),
  rule('aws_iam_instance_profile', 'name', 128),
  rule('aws_iam_instance_profile', 'name_prefix', 38, false),
  rule('aws_sns_topic', 'name', 256),
  rule('aws_sqs_queue', 'name', 80),
  rule('aws_sqs_queue', 'name_prefix', 80 - 26, false),
  rule('aws_security_group', 'name', 255),
  rule('aws_cloudwatch_event_rule', 'name', 64),
  rule('aws_dynamodb_table', 'name', 255),
  rule('aws_ecr_repository', 'name', 256),
  rule('aws_autoscaling_group', 'name', 255),
  rule('aws_launch_template', 'name', 128),
  rule('aws_cloudwatch_metric_alarm', 'alarm_name', 255),
  rule('aws_cloudwatch_log_group', 'name', 512),
  rule('aws_cloudwatch_dashboard', 'dashboard_name', 255),
  rule('aws_fis_experiment_template', 'tags.Name', 256),
  rule('aws_kms_alias', 'name', 256),
  rule('aws_eks_cluster', 'name', 100),
  // One Pod Identity association per service account of a cluster.
  rule('aws_eks_pod_identity_association', ['cluster_name', 'namespace', 'service_account'], Infinity),
];

export interface PhysicalName {
  readonly rule: NameRule;
  readonly value: string;
  /** `<stack>/<type>.<logical id>` */
  readonly where: string;
}

const get = (resource: Record<string, any>, path: string): unknown => path.split('.').reduce<any>((v, key) => v?.[key], resource);

/**
 * Replaces `${type.id.attr[0].name}` by the referenced resource's literal value when the stack sets
 * it (e.g. a namespace name); other references stay, marked with their stack, since they are stack-local.
 */
function resolve(value: string, stack: string, tf: TfJson): string {
  return value.replace(/\$\{([\w-]+)\.([\w-]+)\.([^}]+)\}/g, (ref, type: string, id: string, path: string) => {
    const literal = path.split('.').reduce<any>((v, key) => {
      const [, name, index] = /^([\w-]+)(?:\[(\d+)\])?$/.exec(key) ?? [];
      const next = v?.[name];
      return index !== undefined && Array.isArray(next) ? next[Number(index)] : next;
    }, tf.resource?.[type]?.[id]);
    return typeof literal === 'string' && !literal.includes('${') ? literal : `${stack}:${ref}`;
  });
}

/** Every physical name the rules know, across every stack. */
export function physicalNames(stacks: Record<string, TfJson>): PhysicalName[] {
  const names: PhysicalName[] = [];
  for (const [stack, tf] of Object.entries(stacks)) {
    for (const r of NAME_RULES) {
      for (const [logicalId, resource] of Object.entries(tf.resource?.[r.type] ?? {})) {
        const parts = r.attributes.map((a) => get(resource, a));
        if (parts.some((p) => p === undefined)) continue;
        names.push({ rule: r, value: parts.map((p) => resolve(String(p), stack, tf)).join(' | '), where: `${stack}/${r.type}.${logicalId}` });
      }
    }
  }
  return names;
}

/** Names used more than once (of rules that need uniqueness), as `type.attr "value": where, where`. */
export function collisions(names: PhysicalName[]): string[] {
  const seen = new Map<string, string[]>();
  for (const n of names.filter((n) => n.rule.unique)) {
    const key = `${n.rule.type}.${n.rule.attributes.join('+')} "${n.value}"`;
    seen.set(key, [...(seen.get(key) ?? []), n.where]);
  }
  return [...seen].filter(([, where]) => where.length > 1).map(([key, where]) => `${key}: ${where.join(', ')}`);
}

/** Names over their AWS limit (names still holding a Terraform reference have no known length and are skipped). */
export function overLimit(names: PhysicalName[]): string[] {
  return names
    .filter((n) => !n.value.includes(':${') && n.value.length > n.rule.max)
    .map((n) => `${n.where} ${n.rule.attributes.join('+')} is ${n.value.length} > ${n.rule.max}: "${n.value}"`);
}
