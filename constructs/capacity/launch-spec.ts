/**
 * The launch-spec model: what differs for a group of nodes. Engine-agnostic — spot ASGs, Karpenter
 * and Spot Ocean all render it. Validation lives in `validate-launch-spec.ts`.
 */
import type { TaintEffect } from './kubernetes-syntax';

export type { TaintEffect } from './kubernetes-syntax';

/** A Kubernetes taint. */
export interface Taint {
  readonly key: string;
  /** @default '' */
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** Which AMI family nodes boot, and so how their user data is rendered. */
export type AmiFamily =
  /** Amazon Linux 2023 (nodeadm). Extra parts run after the NodeConfig part, e.g. a shell script. */
  | ({ readonly kind: 'al2023'; readonly extraUserDataParts?: UserDataPart[] } & AmiVersionSelection)
  /** Bottlerocket. Extra TOML is appended after the settings we render (e.g. `[settings.kernel]`). */
  | ({ readonly kind: 'bottlerocket'; readonly extraSettingsToml?: string } & AmiVersionSelection)
  /** A custom AMI: you give the id and the user data (rendered as-is, base64-encoded for you). */
  | { readonly kind: 'custom'; readonly amiId: string; readonly userData?: string };

/**
 * Which release of an EKS-optimized AMI family nodes boot. Pinned by default, so a new AMI release
 * never replaces nodes by itself: roll by raising `version` (all engines read the same release).
 */
export interface AmiVersionSelection {
  /**
   * The AMI release: `v20260224` (AL2023) or `v1.55.0` (Bottlerocket), or `'latest'` to follow
   * every release (each one drifts every node). @default DEFAULT_AMI_VERSIONS[kind]
   */
  readonly version?: string;
  /**
   * Your own AMIs of this family, picked by tags (karpenter only, asg and spotinst fail at synth;
   * Karpenter still renders the family's bootstrap). Excludes `version`. @default - the EKS-optimized AMI of `version`
   */
  readonly amiTags?: Record<string, string>;
}

/**
 * The pinned AMI releases (both published for every supported Kubernetes version). To roll: set
 * `amiFamily.version` on the defaults (or a launch spec) to a newer release, deploy, and the
 * engines replace nodes as they do for any template change (Karpenter: drift, within its budgets).
 */
export const DEFAULT_AMI_VERSIONS = { al2023: 'v20260224', bottlerocket: 'v1.55.0' } as const;

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
  /** kubelet settings. @default - the AMI's (max pods from the ENI limits, reserved resources by size) */
  readonly kubelet?: KubeletSettings;
  /** EBS volumes beside the root volume, always encrypted. @default [] */
  readonly extraBlockDevices?: BlockDevice[];
  /**
   * When nodes may be replaced (karpenter; spotinst takes only `terminationGracePeriod`, as its
   * draining timeout). @default - see {@link Disruption}
   */
  readonly disruption?: Disruption;
  /**
   * Rank among launch specs a pod fits, 1–50: the karpenter NodePool weight (spot: 50 + weight,
   * on-demand: weight) or the asg priority-expander tier (spot 200 +, mixed 100 +, on-demand 0 +
   * weight; spotinst fails: Ocean ranks launch specs itself). Every spot pool still ranks above
   * every on-demand one. @default 10
   */
  readonly weight?: number;
  /** Caps what this spec's nodes may total, per engine pool (karpenter NodePool limits; asg and spotinst fail). @default - defaults.limits */
  readonly limits?: CapacityLimits;
}

/** Caps on the total vCPU and memory of a pool's nodes. */
export interface CapacityLimits {
  /** @default - no limit */
  readonly maxVcpu?: number;
  /** @default - no limit */
  readonly maxMemoryGiB?: number;
}

/** Resources kubelet keeps for the system or for Kubernetes daemons, as Kubernetes quantities. */
export interface ReservedResources {
  /** e.g. `'100m'`. @default - the AMI's */
  readonly cpu?: string;
  /** e.g. `'512Mi'`. @default - the AMI's */
  readonly memory?: string;
  /** e.g. `'1Gi'`. @default - the AMI's */
  readonly ephemeralStorage?: string;
}

/** kubelet settings every engine renders (karpenter: EC2NodeClass `kubelet`; asg: nodeadm / Bottlerocket settings). */
export interface KubeletSettings {
  /** Pods per node, 1–737. @default - the AMI's (from the instance type's ENI limits) */
  readonly maxPods?: number;
  /** @default - the AMI's */
  readonly kubeReserved?: ReservedResources;
  /** @default - the AMI's */
  readonly systemReserved?: ReservedResources;
}

/** An extra EBS volume; always encrypted and deleted with the instance. */
export interface BlockDevice {
  /** e.g. `'/dev/xvdc'`; not the root device (`/dev/xvda`, and `/dev/xvdb` on Bottlerocket). */
  readonly deviceName: string;
  /** 1–16384 GiB. */
  readonly sizeGiB: number;
  /** @default 'gp3' */
  readonly volumeType?: 'gp3' | 'gp2' | 'io1' | 'io2' | 'st1' | 'sc1';
  /** For gp3/io1/io2. @default - the volume type's baseline */
  readonly iops?: number;
  /** MiB/s, gp3 only. @default - 125 */
  readonly throughput?: number;
  /** @default - the AWS-managed EBS key */
  readonly kmsKeyId?: string;
}

/** A Karpenter disruption budget: how many nodes may be disrupted at once, optionally in a window. */
export interface DisruptionBudget {
  /** A count (`'1'`) or a percentage (`'10%'`); `'0'` blocks. */
  readonly nodes: string;
  /** Cron schedule of the window's start (with `duration`). @default - always */
  readonly schedule?: string;
  /** Length of the window, e.g. `'8h'` (with `schedule`). @default - always */
  readonly duration?: string;
  /** Which disruptions the budget counts. @default - all */
  readonly reasons?: ('Empty' | 'Drifted' | 'Underutilized')[];
}

/** When and how Karpenter may replace a launch spec's nodes. */
export interface Disruption {
  /** @default 'WhenEmptyOrUnderutilized' */
  readonly consolidationPolicy?: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
  /** How long a node must be empty/underused first, e.g. `'1m'`, or `'Never'`. @default - karpenter.consolidateAfter, '1m' */
  readonly consolidateAfter?: string;
  /** @default - Karpenter's: 10% of nodes */
  readonly budgets?: DisruptionBudget[];
  /** Replace nodes older than this, e.g. `'720h'`, or `'Never'`. @default '720h' (Karpenter's) */
  readonly expireAfter?: string;
  /** Longest a draining node waits for its pods before it is terminated anyway, e.g. `'24h'`. @default - no limit */
  readonly terminationGracePeriod?: string;
}

/** The node label every node carries so workloads and node-manager can target spot nodes. */
export const LIFECYCLE_LABEL = 'node-lifecycle';
export type Lifecycle = 'spot' | 'on-demand';

/**
 * The taint of the system nodes (CoreDNS and the capacity controllers run there), and the
 * toleration every controller this project deploys carries for it.
 */
export const SYSTEM_TAINT: Taint = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' };
export const CRITICAL_ADDONS_TOLERATION = { key: 'CriticalAddonsOnly', operator: 'Exists' } as const;

/** The node selector a pod uses to ask for on-demand capacity, the same under every engine. */
export const ON_DEMAND_NODE_SELECTOR: Readonly<Record<string, string>> = { [LIFECYCLE_LABEL]: 'on-demand' };

/**
 * The lifecycle label of a pool that is only spot or only on-demand. Engines render a
 * `spot-with-fallback` spec as a spot pool and an on-demand twin (see `capacityVariants`), each
 * labelled truthfully; this function only answers for the spec as a whole.
 */
export function defaultLifecycle(spec: LaunchSpec): Lifecycle {
  return spec.capacity?.type === 'on-demand' ? 'on-demand' : 'spot';
}
