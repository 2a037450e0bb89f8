/** IAM policy documents inside synthesized JSON: identity policies vs resource policies. */
import { list, TfJson, resourcesOf } from './terraform-json';
import { isJsonencode, parseJsonencode } from './jsonencode';

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

/**
 * A policy document as JSON (`JSON.stringify`) or as `${jsonencode(…)}` (`Fn.jsonencode`), with
 * references as `${…}` strings either way. Undefined for anything else (a data source's `json`, a
 * file): not ours to judge here.
 */
export function parsePolicy(json: unknown): { Statement?: unknown } | undefined {
  try {
    if (isJsonencode(json)) return parseJsonencode(json) as { Statement?: unknown };
    if (typeof json === 'string' && json.trim().startsWith('{')) return JSON.parse(json);
  } catch {
    // fall through
  }
  return undefined;
}

function parse(where: string, json: unknown): PolicyDoc | undefined {
  const doc = parsePolicy(json);
  return doc && { where, statements: list(doc.Statement as Statement | Statement[] | undefined) };
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

/** Every role's trust policy (`assume_role_policy`). */
export function trustPolicies(tf: TfJson): PolicyDoc[] {
  return resourcesOf(tf, 'aws_iam_role')
    .map((r) => parse(`${r.type}.${r.name}`, r.body.assume_role_policy))
    .filter((d): d is PolicyDoc => d !== undefined);
}

/** Actions that only read; AWS cannot scope many of them to a resource. */
export function isReadOnly(action: string): boolean {
  const [, verb = ''] = action.split(':');
  return /^(Describe|Get|List|BatchGet|Search|Lookup)/.test(verb) || action === 'pricing:GetProducts';
}
