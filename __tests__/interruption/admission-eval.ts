/**
 * Evaluates a ValidatingAdmissionPolicy manifest over an admission request the way the API server
 * does (match rules → matchConditions → variables → validations, failurePolicy Fail), with the CEL
 * evaluator @bufbuild/cel. JSON objects become CEL maps.
 */
import { isCelError, run } from '@bufbuild/cel';

export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly group: string;
  readonly resource: string;
  readonly subResource?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly username: string;
  readonly extra?: Record<string, string[]>;
  readonly object?: unknown;
  readonly oldObject?: unknown;
}

export type Verdict = { readonly matched: false } | { readonly matched: true; readonly allowed: boolean; readonly denials: string[] };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const toCel = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(toCel) : v !== null && typeof v === 'object' ? new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)])) : v;

function matches(policy: Json, r: AdmissionRequest): boolean {
  const resource = r.subResource ? `${r.resource}/${r.subResource}` : r.resource;
  return (policy.spec.matchConstraints.resourceRules as Json[]).some(
    (rule) =>
      (rule.apiGroups as string[]).some((g) => g === '*' || g === r.group) &&
      (rule.resources as string[]).some((x) => x === '*' || x === resource) &&
      (rule.operations as string[]).some((o) => o === '*' || o === r.operation),
  );
}

export function evaluatePolicy(policy: Json, r: AdmissionRequest): Verdict {
  if (!matches(policy, r)) return { matched: false };
  const request = {
    operation: r.operation,
    name: r.name,
    namespace: r.namespace ?? '',
    resource: { group: r.group, version: 'v1', resource: r.resource },
    subResource: r.subResource ?? '',
    userInfo: { username: r.username, groups: [], extra: r.extra ?? {} },
  };
  const bindings: Record<string, unknown> = {
    request: toCel(request),
    object: toCel(r.object ?? null),
    oldObject: toCel(r.oldObject ?? null),
  };
  const evalBool = (expression: string): boolean | 'error' => {
    const out = run(expression, bindings as never);
    return isCelError(out) || typeof out !== 'boolean' ? 'error' : out;
  };
  for (const c of policy.spec.matchConditions ?? []) {
    const out = evalBool(c.expression);
    if (out === 'error') return { matched: true, allowed: false, denials: [`matchCondition ${c.name} failed`] };
    if (!out) return { matched: false };
  }
  const variables = new Map<string, unknown>();
  bindings.variables = variables;
  for (const v of policy.spec.variables ?? []) {
    const out = run(v.expression, bindings as never);
    if (!isCelError(out)) variables.set(v.name, out);
  }
  const denials = (policy.spec.validations as Json[])
    .filter((v) => evalBool(v.expression) !== true)
    .map((v) => (v.message as string | undefined) ?? (v.messageExpression as string));
  return { matched: true, allowed: denials.length === 0, denials };
}
