/**
 * The cluster's tunable parts beyond the control plane itself — the knobs users of terraform-aws-eks
 * and aws-cdk's eks module expect: access entries, add-on settings, extra security-group rules,
 * Fargate profiles and tags. Typed here, validated in cluster-options-schema.ts.
 */

/** One IAM principal that may use the Kubernetes API (an EKS access entry). */
export interface AccessEntryOptions {
  /** IAM role or user ARN, e.g. `arn:aws:iam::123456789012:role/Developers`. */
  readonly principalArn: string;
  /**
   * `STANDARD` for people and tools; `EC2_LINUX` / `EC2_WINDOWS` for the node role of capacity
   * this construct does not manage (such entries take no groups and no policies).
   * @default 'STANDARD'
   */
  readonly type?: 'STANDARD' | 'EC2_LINUX' | 'EC2_WINDOWS';
  /** Kubernetes groups the principal joins, for your own RBAC bindings; never `system:*`. @default [] */
  readonly kubernetesGroups?: string[];
  /** EKS access policies associated with the entry. @default [] - the principal may do only what `kubernetesGroups` grant */
  readonly policies?: AccessPolicyOptions[];
}

/** An EKS access policy and where it applies. */
export interface AccessPolicyOptions {
  /** The access policy: a name such as `AmazonEKSViewPolicy` or its full `arn:…:eks::aws:cluster-access-policy/…` ARN. */
  readonly policy: string;
  /**
   * Namespaces the policy applies in (a trailing `*` is a wildcard, e.g. `team-a-*`).
   * @default - the whole cluster
   */
  readonly namespaces?: string[];
}

/** Settings of one EKS managed add-on. */
export interface AddonConfiguration {
  /**
   * Configuration values, rendered as the add-on's `configuration_values` JSON; the accepted keys
   * are the add-on's schema (`aws eks describe-addon-configuration --addon-name … --addon-version …`).
   * @default - the add-on's defaults
   */
  readonly configurationValues?: Record<string, unknown>;
  /** An IAM role for the add-on's service account through IRSA (needs the OIDC provider). Exclusive with `podIdentity`. @default - none */
  readonly serviceAccountRoleArn?: string;
  /** An IAM role for the add-on's service account through EKS Pod Identity. Exclusive with `serviceAccountRoleArn`. @default - none */
  readonly podIdentity?: AddonPodIdentity;
}

/** A Pod Identity association for an add-on's service account. */
export interface AddonPodIdentity {
  /** The add-on's service account, e.g. `aws-node` (vpc-cni) or `ebs-csi-controller-sa` (aws-ebs-csi-driver). */
  readonly serviceAccount: string;
  /** Namespace the add-on runs in; pins the new role's trust. @default 'kube-system' */
  readonly namespace?: string;
  /** An existing role to use (its trust must allow `pods.eks.amazonaws.com`). @default - a new role that only this service account of this cluster may assume */
  readonly roleArn?: string;
  /** AWS-managed policies attached to the new role, by name (e.g. `AmazonEKS_CNI_Policy`). Ignored with `roleArn`. @default [] */
  readonly managedPolicies?: string[];
}

/** One more rule on the security group EKS creates for the cluster (control plane ↔ nodes). */
export interface ClusterSecurityGroupRule {
  /** What the rule is for; shown in the console and required by reviewers. */
  readonly description: string;
  /** `ingress` (into the cluster security group) or `egress`. */
  readonly direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `icmp`, `icmpv6` or `-1` (all). */
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | '-1';
  /** First port (ICMP: type); required for tcp/udp. @default - none (all ports with protocol -1) */
  readonly fromPort?: number;
  /** Last port (ICMP: code); required for tcp/udp. @default - `fromPort` */
  readonly toPort?: number;
  /** IPv4 peer. Exactly one peer is required; an ingress rule may not open the world (wider than /8). @default - none */
  readonly cidrIpv4?: string;
  /** IPv6 peer. @default - none */
  readonly cidrIpv6?: string;
  /** Security group peer (e.g. a bastion's). @default - none */
  readonly securityGroupId?: string;
  /** Managed prefix list peer. @default - none */
  readonly prefixListId?: string;
}

/** A Fargate profile: pods that match a selector run on Fargate instead of nodes. */
export interface FargateProfileOptions {
  /** One to five selectors; a pod matching any of them runs on Fargate. */
  readonly selectors: FargateSelector[];
  /** Private subnets for the pods. @default - the cluster's private subnets */
  readonly subnetIds?: string[];
}

/** Which pods a Fargate profile takes. */
export interface FargateSelector {
  /** Namespace (`*` and `?` wildcards allowed). */
  readonly namespace: string;
  /** Labels the pod must carry, all of them (at most 5). @default - any pod of the namespace */
  readonly labels?: Record<string, string>;
}
