/** IAM policy documents inside synthesized JSON: identity policies vs resource policies. */
import { list, TfJson, resourcesOf } from './terraform-json';

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, unknown>;
}

export interface PolicyDoc {
  /** `aws_iam_role_policy.foo` */
  readonly where: string;
  readonly statements: Statement[];
}

function parse(where: string, json: unknown): PolicyDoc | undefined {
  if (typeof json !== 'string' || !json.trim().startsWith('{')) return undefined;
  try {
    return { where, statements: list(JSON.parse(json).Statement) };
  } catch {
    return undefined; // a policy built with Terraform functions: not ours to judge here
  }
}

/** Policies that grant a principal permissions (roles' inline and managed policies). */
export function identityPolicies(tf: TfJson): PolicyDoc[] {
  return [
    ...resourcesOf(tf, 'aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy').map((r) => parse(`${r.type}.${r.name}`, r.body.policy)),
    ...resourcesOf(tf, 'aws_iam_role').flatMap((r) => list(r.body.inline_policy).map((p: any) => parse(`${r.type}.${r.name}`, p?.policy))),
  ].filter((d): d is PolicyDoc => d !== undefined);
}

/** Policies attached to a resource (keys, queues, topics, buckets). */
export function resourcePolicies(tf: TfJson): PolicyDoc[] {
  return [
    ...resourcesOf(tf, 'aws_kms_key', 'aws_sqs_queue', 'aws_sns_topic').map((r) => parse(`${r.type}.${r.name}`, r.body.policy)),
    ...resourcesOf(tf, 'aws_sqs_queue_policy', 'aws_sns_topic_policy', 'aws_s3_bucket_policy').map((r) => parse(`${r.type}.${r.name}`, r.body.policy)),
  ].filter((d): d is PolicyDoc => d !== undefined);
}

/** Actions that only read; AWS cannot scope many of them to a resource. */
export function isReadOnly(action: string): boolean {
  const [, verb = ''] = action.split(':');
  return /^(Describe|Get|List|BatchGet|Search|Lookup)/.test(verb) || action === 'pricing:GetProducts';
}
