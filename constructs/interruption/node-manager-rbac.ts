import { Construct } from 'constructs';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';

/** Exactly what cordon + drain need: patch nodes, list pods, create evictions, record events. */
export const DRAIN_RULES = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create'] },
];

export interface NodeManagerRbacProps {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
}

/** The ClusterRole and binding for cordon/drain; created only when drain is on. */
export class NodeManagerRbac extends Construct {
  constructor(scope: Construct, id: string, props: NodeManagerRbacProps) {
    super(scope, id);
    const role = new ClusterRoleV1(this, 'role', { metadata: { name: props.name }, rule: DRAIN_RULES });
    new ClusterRoleBindingV1(this, 'binding', {
      metadata: { name: props.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
      subject: [{ kind: 'ServiceAccount', name: props.serviceAccountName, namespace: props.namespace }],
    });
  }
}
