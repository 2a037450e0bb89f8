import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import type { AccessEntryOptions } from './cluster-options';

export interface ClusterAccessProps {
  readonly clusterName: string;
  readonly partition: string;
  /** The worker node role: gets an EC2_LINUX access entry so its nodes can join. */
  readonly nodeRoleArn: string;
  /** Made cluster admin (AmazonEKSClusterAdminPolicy, cluster scope). @default - none */
  readonly adminPrincipalArn?: string;
  /** More principals, keyed by a stable name (the key becomes the resources' logical id). @default {} */
  readonly accessEntries?: Record<string, AccessEntryOptions>;
}

/** Access entries (API authentication mode): the nodes' role, an optional admin, and any further principals with their policies. */
export class ClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const entries = props.accessEntries ?? {};
    rejectDuplicatePrincipals(props.adminPrincipalArn, entries);
    const policyArn = (policy: string) => (policy.startsWith('arn:') || Token.isUnresolved(policy) ? policy : `arn:${props.partition}:eks::aws:cluster-access-policy/${policy}`);

    new EksAccessEntry(this, 'nodes', { clusterName: props.clusterName, principalArn: props.nodeRoleArn, type: 'EC2_LINUX' });
    if (props.adminPrincipalArn) {
      const admin = new EksAccessEntry(this, 'admin', { clusterName: props.clusterName, principalArn: props.adminPrincipalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, 'admin-policy', {
        clusterName: props.clusterName,
        principalArn: admin.principalArn,
        policyArn: policyArn('AmazonEKSClusterAdminPolicy'),
        accessScope: { type: 'cluster' },
      });
    }
    for (const [key, entry] of Object.entries(entries)) {
      const resource = new EksAccessEntry(this, `entry-${key}`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        type: entry.type ?? 'STANDARD',
        kubernetesGroups: entry.kubernetesGroups?.length ? entry.kubernetesGroups : undefined,
      });
      for (const { policy, namespaces } of entry.policies ?? []) {
        new EksAccessPolicyAssociation(this, `entry-${key}-${policy.split('/').pop()}`, {
          clusterName: props.clusterName,
          principalArn: resource.principalArn,
          policyArn: policyArn(policy),
          accessScope: namespaces?.length ? { type: 'namespace', namespaces } : { type: 'cluster' },
        });
      }
    }
  }
}

/** EKS allows one access entry per principal: a second one fails at apply, so it fails at synth. */
function rejectDuplicatePrincipals(admin: string | undefined, entries: Record<string, AccessEntryOptions>): void {
  const seen = new Map<string, string>(admin && !Token.isUnresolved(admin) ? [[admin, 'EksClusterProps.adminPrincipalArn']] : []);
  for (const [key, { principalArn }] of Object.entries(entries)) {
    if (Token.isUnresolved(principalArn)) continue;
    const first = seen.get(principalArn);
    if (first) throw new Error(`EksClusterProps.accessEntries.${key}.principalArn: ${principalArn} already has an access entry (${first}); EKS allows one per principal — merge the two`);
    seen.set(principalArn, `EksClusterProps.accessEntries.${key}`);
  }
}
