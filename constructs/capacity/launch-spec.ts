/**
 * The launch-spec model: what differs for a group of nodes. Engine-agnostic — spot ASGs, Karpenter
 * and Spot Ocean all render it. Validation lives in `validate-launch-spec.ts`.
 */

/** A Kubernetes taint. */
export interface Taint {
  readonly key: string;
  /** @default '' */
  readonly value?: string;
  readonly effect: TaintEffect;
}
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** Which AMI family nodes boot, and so how their user data is rendered. */
export type AmiFamily =
  /** Amazon Linux 2023 (nodeadm). Extra parts run after the NodeConfig part, e.g. a shell script. */
  | { readonly kind: 'al2023'; readonly extraUserDataParts?: UserDataPart[] }
  /** Bottlerocket. Extra TOML is appended after the settings we render (e.g. `[settings.kernel]`). */
  | { readonly kind: 'bottlerocket'; readonly extraSettingsToml?: string }
  /** A custom AMI: you give the id and the user data (rendered as-is, base64-encoded for you). */
  | { readonly kind: 'custom'; readonly amiId: string; readonly userData?: string };

/** One part of an AL2023 MIME multipart user data document. */
export interface UserDataPart {
  /** e.g. `text/x-shellscript; charset="us-ascii"` or `application/node.eks.aws` (a NodeConfig drop-in). */
  readonly contentType: string;
  readonly content: string;
}

export type Architecture = 'x86_64' | 'arm64';

/** Instance selection: explicit types, OR attribute requirements — never both. */
export interface InstanceRequirements {
  readonly vcpu?: { readonly min?: number; readonly max?: number };
  readonly memoryMiB?: { readonly min?: number; readonly max?: number };
  /** NVIDIA GPUs per instance; `min > 0` selects the NVIDIA variant of the EKS AMI. @default - none */
  readonly gpus?: { readonly min?: number; readonly max?: number };
  /** e.g. `['c', 'm', 'r']` (Karpenter/ASG instance categories, the letter before the generation). */
  readonly categories?: string[];
  /** Families to allow, e.g. `['m6i', 'm7i']`. */
  readonly includeFamilies?: string[];
  /** Families to exclude, e.g. `['t3']`. */
  readonly excludeFamilies?: string[];
  /** @default true */
  readonly excludeBareMetal?: boolean;
}

export interface InstanceSelection {
  /** Explicit instance types, e.g. `['m6i.large', 'm7i.large']`. */
  readonly instanceTypes?: string[];
  /** Attribute-based selection. */
  readonly requirements?: InstanceRequirements;
}

/**
 * Capacity: spot only, on-demand only, or spot with an on-demand base/share and fallback.
 * @default { type: 'spot' }
 */
export type Capacity =
  | { readonly type: 'spot' }
  | { readonly type: 'on-demand' }
  | {
      readonly type: 'spot-with-fallback';
      /** On-demand instances always kept. @default 0 */
      readonly onDemandBase?: number;
      /** Percentage of capacity above the base that is on-demand. @default 0 */
      readonly onDemandPercentageAboveBase?: number;
    };

export interface RootVolume {
  /** @default 50 */
  readonly sizeGiB?: number;
  /** Always encrypted; a customer KMS key id/ARN may be given. @default - the AWS-managed EBS key */
  readonly kmsKeyId?: string;
}

/**
 * Spare capacity kept free so that pods of an interrupted node land at once: units of CPU, memory
 * and GPUs. Spot Ocean keeps it natively; the karpenter and asg engines keep it with low-priority
 * placeholder pods that any real pod preempts.
 */
export interface Headroom {
  /** CPU of one unit, in millicores. */
  readonly cpuPerUnit: number;
  /** Memory of one unit, in MiB. */
  readonly memoryPerUnit: number;
  /** NVIDIA GPUs of one unit. @default 0 */
  readonly gpuPerUnit?: number;
  /** How many units to keep free. */
  readonly numOfUnits: number;
}

/** A group of nodes that differs from the defaults by the fields it sets. */
export interface LaunchSpec {
  /** Unique within its node pool set: lowercase letters, digits and `-`, ≤ 40 characters. */
  readonly name: string;
  /** @default { kind: 'al2023' } */
  readonly amiFamily?: AmiFamily;
  /** @default 'x86_64' */
  readonly architecture?: Architecture;
  /** Node labels. @default {} */
  readonly labels?: Record<string, string>;
  /** Taints registered with the node. @default [] */
  readonly taints?: Taint[];
  /** Taints that a daemon removes once the node is ready (Karpenter/Ocean startup taints). @default [] */
  readonly startupTaints?: Taint[];
  /**
   * @default - the defaults' selection; standing alone, current-generation types with ≥ 2 vCPUs and
   * no GPUs (the standard AMIs carry no GPU drivers)
   */
  readonly instanceSelection?: InstanceSelection;
  /** @default { type: 'spot' } */
  readonly capacity?: Capacity;
  /** @default { sizeGiB: 50 } encrypted gp3 */
  readonly rootVolume?: RootVolume;
  /** @default 0 */
  readonly minSize?: number;
  /** @default 10 */
  readonly maxSize?: number;
  /** @default - the cluster's private subnets */
  readonly subnetIds?: string[];
  /** @default - the cluster security group */
  readonly securityGroupIds?: string[];
  /** Extra tags for instances and volumes. @default {} */
  readonly tags?: Record<string, string>;
  /**
   * Spare capacity on this launch spec's nodes (placeholder pods select its labels and tolerate
   * its taints). Not inherited from `defaults.headroom`, which is cluster-wide. @default - none
   */
  readonly headroom?: Headroom;
  /**
   * The name of an existing IAM instance profile the nodes run with. Its role needs an EKS access
   * entry of type EC2_LINUX (nodes cannot join without one). @default - the defaults' node role
   */
  readonly instanceProfile?: string;
}

/** The node label every node carries so workloads and node-manager can target spot nodes. */
export const LIFECYCLE_LABEL = 'node-lifecycle';
export type Lifecycle = 'spot' | 'on-demand';

/**
 * The lifecycle label a spec's nodes carry. A `spot-with-fallback` group labels every node `spot`:
 * the label marks a pool that may be interrupted (its on-demand share included); use separate
 * specs when workloads must tell the two apart exactly.
 */
export function defaultLifecycle(spec: LaunchSpec): Lifecycle {
  return spec.capacity?.type === 'on-demand' ? 'on-demand' : 'spot';
}
