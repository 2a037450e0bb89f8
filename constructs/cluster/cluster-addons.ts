import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { managedPolicyArn, podIdentityTrustPolicy } from '../iam/policy';
import type { AddonConfiguration } from './cluster-options';

/** The add-ons every cluster gets; `undefined` = the default version for the cluster's Kubernetes. */
export const DEFAULT_ADDONS: Record<string, string | undefined> = {
  'vpc-cni': undefined,
  'kube-proxy': undefined,
  coredns: undefined,
  'eks-pod-identity-agent': undefined,
};
/** The add-on that makes Pod Identity associations work. */
const POD_IDENTITY_AGENT = 'eks-pod-identity-agent';

export interface ClusterAddonsProps {
  readonly clusterName: string;
  /** The cluster ARN, which pins the trust of the add-on roles this construct creates. */
  readonly clusterArn: string;
  readonly partition: string;
  /** Add-on name → version (or undefined for AWS's default). */
  readonly addons: Record<string, string | undefined>;
  /** Per add-on settings; every key must be an installed add-on. @default {} */
  readonly configuration?: Record<string, AddonConfiguration>;
}

/** EKS managed add-ons. The cluster installs no self-managed ones, so these are the only copies. */
export class ClusterAddons extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    const configuration = props.configuration ?? {};
    for (const [name, settings] of Object.entries(configuration)) {
      if (!(name in props.addons)) {
        throw new Error(`EksClusterProps.addonConfiguration.${name}: "${name}" is not an installed add-on (installed: ${Object.keys(props.addons).join(', ')}); add it to addons or remove its configuration`);
      }
      if (settings.podIdentity && !(POD_IDENTITY_AGENT in props.addons)) {
        throw new Error(`EksClusterProps.addonConfiguration.${name}.podIdentity needs the ${POD_IDENTITY_AGENT} add-on; add it to addons or use serviceAccountRoleArn (IRSA)`);
      }
    }
    for (const [name, version] of Object.entries(props.addons)) {
      const settings = configuration[name] ?? {};
      const podIdentity = settings.podIdentity;
      new EksAddon(this, name, {
        clusterName: props.clusterName,
        addonName: name,
        addonVersion: version,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'PRESERVE',
        configurationValues: settings.configurationValues && jsonString(settings.configurationValues),
        serviceAccountRoleArn: settings.serviceAccountRoleArn,
        podIdentityAssociation: podIdentity && [{ serviceAccount: podIdentity.serviceAccount, roleArn: podIdentity.roleArn ?? this.addonRole(name, podIdentity, props).arn }],
      });
    }
  }

  /** A role only `namespace/serviceAccount` of this cluster may assume, with the named AWS-managed policies. */
  private addonRole(name: string, podIdentity: NonNullable<AddonConfiguration['podIdentity']>, props: ClusterAddonsProps): IamRole {
    const role = new IamRole(this, `${name}-role`, {
      namePrefix: `eks-addon-${name}-`.slice(0, 38),
      assumeRolePolicy: podIdentityTrustPolicy({ clusterArn: props.clusterArn, namespace: podIdentity.namespace ?? 'kube-system', serviceAccount: podIdentity.serviceAccount }),
    });
    for (const policy of podIdentity.managedPolicies ?? []) {
      new IamRolePolicyAttachment(this, `${name}-role-${policy.replace(/\W/g, '-')}`, { role: role.name, policyArn: managedPolicyArn(props.partition, policy) });
    }
    return role;
  }
}

/** JSON text for a value; through Terraform's `jsonencode` when it holds tokens, so references resolve. */
function jsonString(value: Record<string, unknown>): string {
  const text = JSON.stringify(value);
  return Token.isUnresolved(text) ? Fn.jsonencode(value) : text;
}
