import { Construct } from 'constructs';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';

/** What node-manager does in Kubernetes; each grants only the verbs it needs. */
export interface NodeManagerAccess {
  /** Patch its own node: the lifecycle label, cordon, taint, the load-balancer label. */
  readonly patchNode: boolean;
  /** List the node's pods and evict them. */
  readonly evict: boolean;
  /** Record a Kubernetes Event per action. */
  readonly events: boolean;
}

/**
 * The ClusterRole rules for `access`. RBAC cannot scope by node; the admission policy
 * ({@link NodeManagerAdmission}) narrows node patches, pod deletes and events to the node named in
 * node-manager's own token. No `get` on pods (the drain lists them), no `delete` on anything.
 */
export function nodeManagerRules(access: NodeManagerAccess) {
  return [
    ...(access.patchNode ? [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }] : []),
    ...(access.evict
      ? [
          { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
          { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        ]
      : []),
    ...(access.events ? [{ apiGroups: [''], resources: ['events'], verbs: ['create'] }] : []),
  ];
}

export interface NodeManagerRbacProps {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly access: NodeManagerAccess;
}

/** The ClusterRole and binding; created only when node-manager touches Kubernetes at all. */
export class NodeManagerRbac extends Construct {
  constructor(scope: Construct, id: string, props: NodeManagerRbacProps) {
    super(scope, id);
    const role = new ClusterRoleV1(this, 'role', { metadata: { name: props.name }, rule: nodeManagerRules(props.access) });
    new ClusterRoleBindingV1(this, 'binding', {
      metadata: { name: props.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
      subject: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace }],
    });
  }
}
