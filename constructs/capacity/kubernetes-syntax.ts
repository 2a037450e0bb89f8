/**
 * Kubernetes syntax rules for label keys/values and taints, as the API server and kubelet apply
 * them. Each check returns the problem in words, or `undefined` when the input is valid.
 */

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A qualified name: optional `<DNS subdomain ≤ 253>/` prefix, then a name ≤ 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return `prefix '${prefix}' must be a lowercase DNS subdomain of at most 253 characters (e.g. 'example.com')`;
    }
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return `name '${name}' must be 1-63 characters of [A-Za-z0-9], with '-', '_' or '.' allowed inside`;
  }
  return undefined;
}

/** A label value: empty, or ≤ 63 characters of [A-Za-z0-9] with `-_.` inside. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return `value '${value}' must be empty or 1-63 characters of [A-Za-z0-9], with '-', '_' or '.' allowed inside`;
  }
  return undefined;
}

/**
 * Kubelet may only self-assign labels outside the kubernetes.io / k8s.io namespaces, except the
 * kubelet.kubernetes.io and node.kubernetes.io prefixes (NodeRestriction admission); a node with
 * another such label fails to register.
 */
export function kubeletLabelProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash);
  const restricted = ['kubernetes.io', 'k8s.io'].some((d) => prefix === d || prefix.endsWith(`.${d}`));
  const allowed = ['kubelet.kubernetes.io', 'node.kubernetes.io'].some((d) => prefix === d || prefix.endsWith(`.${d}`));
  return restricted && !allowed
    ? `prefix '${prefix}' is reserved: kubelet may not set labels under kubernetes.io or k8s.io (except node.kubernetes.io/ and kubelet.kubernetes.io/)`
    : undefined;
}

export { TAINT_EFFECTS, type TaintEffect } from '../../contract/node-marks';
