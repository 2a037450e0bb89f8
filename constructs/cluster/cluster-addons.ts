import { Construct } from 'constructs';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';

/** The add-ons every cluster gets; `undefined` = the default version for the cluster's Kubernetes. */
export const DEFAULT_ADDONS: Record<string, string | undefined> = {
  'vpc-cni': undefined,
  'kube-proxy': undefined,
  coredns: undefined,
  'eks-pod-identity-agent': undefined,
};

export interface ClusterAddonsProps {
  readonly clusterName: string;
  /** Add-on name → version (or undefined for AWS's default). */
  readonly addons: Record<string, string | undefined>;
}

/** EKS managed add-ons. The cluster installs no self-managed ones, so these are the only copies. */
export class ClusterAddons extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    for (const [name, version] of Object.entries(props.addons)) {
      new EksAddon(this, name, {
        clusterName: props.clusterName,
        addonName: name,
        addonVersion: version,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'PRESERVE',
      });
    }
  }
}
