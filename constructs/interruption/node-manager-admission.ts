/**
 * node-manager may touch only its own node: a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1,
 * GA in Kubernetes 1.30) matched to node-manager's service account, checked against the node named
 * in its own bound service-account token (`authentication.kubernetes.io/node-name`, set on
 * kubelet-mounted tokens since 1.30). RBAC cannot scope by node; this policy does, in the API server.
 *
 * What it enforces for node-manager's service account:
 * - nodes: only UPDATE/PATCH, only the token's node, and on it only the labels, annotations and
 *   taints node-manager manages change (every other key stays as it was);
 * - pods: DELETE/UPDATE only of pods bound to the token's node (RBAC grants neither today; this
 *   keeps it so if a rule is ever added);
 * - events: only about the token's Node;
 * - every request: refused when the token names no node (an old cluster or a token minted without
 *   node binding) — fail closed.
 *
 * What it cannot enforce: an eviction (`pods/eviction` CREATE) carries only the pod's name and
 * namespace, not the pod, and admission policies cannot look objects up (the in-tree
 * NodeRestriction plugin reads the pod from a cache; CEL cannot). Evictions stay bounded by
 * PodDisruptionBudgets; cordon-only mode drops the eviction grant altogether.
 *
 * No typed resource exists for these kinds in the kubernetes provider 2.38 (cdktf
 * provider-kubernetes 12), so they are `kubernetes_manifest` resources.
 */
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';

/** The minimum Kubernetes minor version: VAP v1 and the node-name token claim are both 1.30. */
export const ADMISSION_POLICY_MIN_KUBERNETES = '1.30';

/** Where the API server puts the bound node of a service-account token (ServiceAccountTokenPodNodeInfo). */
export const NODE_NAME_EXTRA = 'authentication.kubernetes.io/node-name';

/** Who node-manager is and which keys of its node it manages. */
export interface OwnNodePolicyOptions {
  /** Name of the policy and its binding. */
  readonly name: string;
  /** Namespace of node-manager's service account. */
  readonly namespace: string;
  /** node-manager's service account, the only user the policy applies to. */
  readonly serviceAccountName: string;
  /** Node label keys node-manager may set or remove. */
  readonly labels: readonly string[];
  /** Node annotation keys node-manager may set or remove. */
  readonly annotations: readonly string[];
  /** Taint keys node-manager may add or remove. */
  readonly taintKeys: readonly string[];
}

const list = (items: readonly string[]): string => `[${items.map((i) => `'${i}'`).join(', ')}]`;

/**
 * A CEL expression true when, between `oldObject` and `object`, only `allowed` keys of the map at
 * `field` (e.g. `metadata.labels`) were added, removed or changed.
 */
function onlyKeysChange(field: string, allowed: readonly string[]): string {
  const [oldMap, newMap] = [`oldObject.${field}`, `object.${field}`];
  const [hasOld, hasNew] = [`has(${oldMap})`, `has(${newMap})`];
  return [
    `(!${hasNew} || ${newMap}.all(k, k in ${list(allowed)} || (${hasOld} && k in ${oldMap} && ${oldMap}[k] == ${newMap}[k])))`,
    `(!${hasOld} || ${oldMap}.all(k, k in ${list(allowed)} || (${hasNew} && k in ${newMap})))`,
  ].join(' && ');
}

/** True when only taints with `allowed` keys were added or removed (matched by key and effect). */
function onlyTaintsChange(allowed: readonly string[]): string {
  const same = (list: string) => `${list}.exists(o, o.key == t.key && o.effect == t.effect)`;
  return [
    `(!has(object.spec.taints) || object.spec.taints.all(t, t.key in ${list(allowed)} || (has(oldObject.spec.taints) && ${same('oldObject.spec.taints')})))`,
    `(!has(oldObject.spec.taints) || oldObject.spec.taints.all(t, t.key in ${list(allowed)} || (has(object.spec.taints) && ${same('object.spec.taints')})))`,
  ].join(' && ');
}

const rule = (resources: string[], operations: string[], apiGroups = ['']) => ({
  apiGroups,
  apiVersions: ['*'],
  operations,
  resources,
  scope: '*',
});

/** The ValidatingAdmissionPolicy manifest. Every server-side default is spelled out (no diff after apply). */
export function ownNodePolicyManifest(o: OwnNodePolicyOptions): Record<string, unknown> {
  const isNodes = "request.resource.group == '' && request.resource.resource == 'nodes'";
  const isPods = "request.resource.group == '' && request.resource.resource == 'pods' && request.subResource == ''";
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: o.name },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        resourceRules: [
          rule(['nodes'], ['CREATE', 'UPDATE', 'DELETE']),
          rule(['pods'], ['UPDATE', 'DELETE']),
          rule(['pods/eviction'], ['CREATE']),
          rule(['events'], ['CREATE', 'UPDATE'], ['', 'events.k8s.io']),
        ],
      },
      matchConditions: [
        { name: 'is-node-manager', expression: `request.userInfo.username == 'system:serviceaccount:${o.namespace}:${o.serviceAccountName}'` },
      ],
      variables: [
        {
          name: 'nodeName',
          expression: `'${NODE_NAME_EXTRA}' in request.userInfo.extra && size(request.userInfo.extra['${NODE_NAME_EXTRA}']) == 1 ? request.userInfo.extra['${NODE_NAME_EXTRA}'][0] : ''`,
        },
      ],
      validations: [
        {
          expression: "variables.nodeName != ''",
          reason: 'Forbidden',
          message: `node-manager acts only with a service-account token bound to its node (${NODE_NAME_EXTRA}, Kubernetes ${ADMISSION_POLICY_MIN_KUBERNETES}+)`,
        },
        {
          expression: `!(${isNodes}) || (request.operation == 'UPDATE' && request.name == variables.nodeName)`,
          reason: 'Forbidden',
          messageExpression: "'node-manager may update only its own node ' + variables.nodeName + ', not ' + request.name",
        },
        {
          expression: `!(${isNodes}) || request.operation != 'UPDATE' || (${onlyKeysChange('metadata.labels', o.labels)})`,
          reason: 'Forbidden',
          message: `node-manager may change only the node labels ${o.labels.join(', ')}`,
        },
        {
          expression: `!(${isNodes}) || request.operation != 'UPDATE' || (${onlyKeysChange('metadata.annotations', o.annotations)})`,
          reason: 'Forbidden',
          message: `node-manager may change only the node annotations ${o.annotations.join(', ')}`,
        },
        {
          expression: `!(${isNodes}) || request.operation != 'UPDATE' || (${onlyTaintsChange(o.taintKeys)})`,
          reason: 'Forbidden',
          message: `node-manager may add or remove only the taints ${o.taintKeys.join(', ')}`,
        },
        {
          expression: `!(${isPods}) || oldObject.spec.nodeName == variables.nodeName`,
          reason: 'Forbidden',
          messageExpression: "'node-manager may delete or update only pods on its own node ' + variables.nodeName",
        },
        {
          expression:
            "request.resource.resource != 'events' || (request.resource.group == 'events.k8s.io' ? " +
            "(object.regarding.kind == 'Node' && object.regarding.name == variables.nodeName) : " +
            "(object.involvedObject.kind == 'Node' && object.involvedObject.name == variables.nodeName))",
          reason: 'Forbidden',
          message: 'node-manager may record events only about its own node',
        },
      ],
    },
  };
}

export function ownNodePolicyBindingManifest(name: string): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name },
    spec: {
      policyName: name,
      validationActions: ['Deny'],
      matchResources: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {} },
    },
  };
}

/** The policy's options: who node-manager is and which node keys it manages. */
export interface NodeManagerAdmissionProps extends OwnNodePolicyOptions {}

/** The policy and its binding; the binding waits for the policy. */
export class NodeManagerAdmission extends Construct {
  /** Name of the ValidatingAdmissionPolicy (and of its binding). */
  readonly policyName: string;

  constructor(scope: Construct, id: string, props: NodeManagerAdmissionProps) {
    super(scope, id);
    const policy = new Manifest(this, 'policy', { manifest: ownNodePolicyManifest(props) });
    new Manifest(this, 'binding', { manifest: ownNodePolicyBindingManifest(props.name), dependsOn: [policy] });
    this.policyName = props.name;
  }
}
