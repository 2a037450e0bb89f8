import type { INetwork } from '../network/network';
import type { ClusterKey } from './cluster-key';
import type { AccessEntryOptions, AddonConfiguration, ClusterSecurityGroupRule, FargateProfileOptions } from './cluster-options';

/** Everything {@link EksCluster} can be told; each optional prop says what happens without it. */
export interface EksClusterProps {
  /** Cluster name (letters, digits, `-`, `_`; ≤ 100). */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  /**
   * `upgrade_policy.support_type`: `STANDARD` lets EKS upgrade the control plane at the end of
   * standard support; `EXTENDED` keeps the version 12 more months, billed at the extended rate.
   * @default 'STANDARD'
   */
  readonly upgradePolicy?: 'STANDARD' | 'EXTENDED';
  /** Where the cluster and its nodes run. */
  readonly network: INetwork;
  /**
   * CIDRs allowed to reach the public endpoint; empty keeps the endpoint private only. A range
   * wider than /8 (IPv6 /16), `0.0.0.0/0` and `::/0` included, fails at synth unless
   * `allowPublicEndpointFromAnywhere` is set.
   * @default [] (private endpoint)
   */
  readonly publicAccessCidrs?: string[];
  /**
   * Accept a `publicAccessCidrs` entry that opens the API endpoint to the whole internet. The
   * security policy suite still reports it (`eks-endpoint-not-public`).
   * @default false
   */
  readonly allowPublicEndpointFromAnywhere?: boolean;
  /** IAM principal made cluster admin through an access entry. @default - only the creator */
  readonly adminPrincipalArn?: string;
  /**
   * More IAM principals with Kubernetes API access, keyed by a stable name (the key becomes the
   * logical id: renaming one replaces its entry). Each gets an access entry and its access policy
   * associations, cluster-wide or scoped to namespaces.
   * @default {} - only `adminPrincipalArn` and the nodes
   */
  readonly accessEntries?: Record<string, AccessEntryOptions>;
  /** Control-plane log types. @default CONTROL_PLANE_LOG_TYPES (all five) */
  readonly logTypes?: string[];
  /** Days to keep control-plane logs. @default 365 */
  readonly logRetentionDays?: number;
  /** Managed add-ons (name → version, or undefined for the default version). @default vpc-cni, coredns, kube-proxy, eks-pod-identity-agent */
  readonly addons?: Record<string, string | undefined>;
  /**
   * Per add-on settings, keyed by add-on name (each must be in `addons`): `configurationValues`,
   * and an IAM role through IRSA (`serviceAccountRoleArn`) or Pod Identity (`podIdentity`).
   * @default {} - every add-on with its defaults, on the node role's permissions
   */
  readonly addonConfiguration?: Record<string, AddonConfiguration>;
  /**
   * More rules on the cluster security group EKS creates, keyed by a stable name. Ingress from a
   * range wider than /8 fails at synth.
   * @default {} - only the rules EKS creates
   */
  readonly clusterSecurityGroupRules?: Record<string, ClusterSecurityGroupRule>;
  /**
   * Fargate profiles, keyed by profile name; they share one pod execution role.
   * @default {} - no Fargate
   */
  readonly fargateProfiles?: Record<string, FargateProfileOptions>;
  /**
   * Tags for every taggable resource this construct creates (a resource's own tags win). In a
   * stack of your own, the AWS provider's `default_tags` does the same for everything.
   * @default {}
   */
  readonly tags?: Record<string, string>;
  /** Kubernetes service CIDR. @default '172.20.0.0/16' */
  readonly serviceIpv4Cidr?: string;
  /** Create an OIDC provider for IRSA (Pod Identity needs none). @default true */
  readonly oidcProvider?: boolean;
  /**
   * Attach `AmazonSSMManagedInstanceCore` to the node role (Session Manager on nodes). It lets
   * every node — and every host-network pod — read all SSM parameters, hence off.
   * @default false
   */
  readonly nodeSsmAccess?: boolean;
  /** The KMS key for secrets and the control-plane log group (share it with other log groups). @default - a new {@link ClusterKey} */
  readonly key?: ClusterKey;
}
