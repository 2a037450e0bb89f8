/**
 * The Ocean style: ONE cluster-wide defaults object, and light launch specs that set only what
 * differs. `resolveLaunchSpec` is the merge — pure, so every engine renders the same resolved spec.
 */
import type { IEksCluster, INodeRole } from '../cluster/cluster-reference';
import type { AmiFamily, Architecture, BlockDevice, Capacity, CapacityLimits, Disruption, Headroom, InstanceSelection, KubeletSettings, LaunchSpec, RootVolume, Taint } from './launch-spec';

/** Cluster-wide limits on what the engine may launch in total. */
export type OceanLimits = CapacityLimits;

/** Default NodePool weight of a launch spec (karpenter); see `LaunchSpec.weight`. */
export const DEFAULT_WEIGHT = 10;

/** What every launch spec inherits unless it sets the field itself. */
export interface OceanDefaults {
  /** @default - the cluster's private subnets */
  readonly subnetIds?: string[];
  /** @default - the cluster security group */
  readonly securityGroupIds?: string[];
  /** The role (and instance profile) nodes run with. @default - the cluster's node role */
  readonly nodeRole?: INodeRole;
  /** @default { kind: 'al2023' } */
  readonly amiFamily?: AmiFamily;
  /** @default 'x86_64' */
  readonly architecture?: Architecture;
  /** Allowed instance types, or CPU/memory/GPU filters. @default - current-generation types, ≥ 2 vCPUs, no GPUs */
  readonly instanceSelection?: InstanceSelection;
  /** Share of capacity that runs on spot, 0–100; the rest is on-demand. @default 100 */
  readonly spotPercentage?: number;
  /** Launch on-demand when spot capacity is unavailable. @default true */
  readonly fallbackToOnDemand?: boolean;
  /** IMDSv2 hop limit (tokens are always required); 1 keeps pods off the node's credentials. @default 1 */
  readonly metadataHopLimit?: number;
  /** @default { sizeGiB: 50 } encrypted gp3 */
  readonly rootVolume?: RootVolume;
  /** Tags for every instance and volume (a launch spec's tags are added on top). @default {} */
  readonly tags?: Record<string, string>;
  /** @default - no cluster-wide limit */
  readonly limits?: OceanLimits;
  /**
   * Cluster-wide spare capacity: placeholder pods with no node selector (karpenter, asg), the
   * Ocean's own headroom (spotinst). Launch specs do not inherit it. @default - none
   */
  readonly headroom?: Headroom;
  /** kubelet settings every launch spec inherits. @default - the AMI's */
  readonly kubelet?: KubeletSettings;
  /** Extra EBS volumes every launch spec inherits. @default [] */
  readonly extraBlockDevices?: BlockDevice[];
  /** Disruption settings every launch spec inherits (karpenter). @default - see {@link Disruption} */
  readonly disruption?: Disruption;
}

/** The defaults with every value decided. */
export interface ResolvedDefaults {
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly nodeRole: INodeRole;
  readonly amiFamily: AmiFamily;
  readonly architecture: Architecture;
  readonly instanceSelection: InstanceSelection;
  readonly spotPercentage: number;
  readonly fallbackToOnDemand: boolean;
  readonly capacity: Capacity;
  readonly metadataHopLimit: number;
  readonly rootVolume: { readonly sizeGiB: number; readonly kmsKeyId?: string };
  readonly tags: Record<string, string>;
  readonly limits: OceanLimits;
  readonly headroom?: Headroom;
  readonly kubelet?: KubeletSettings;
  readonly extraBlockDevices: BlockDevice[];
  readonly disruption?: Disruption;
}

/** A launch spec with every field decided; still a `LaunchSpec`, so user data and AMI helpers take it. */
export interface ResolvedLaunchSpec extends LaunchSpec {
  readonly amiFamily: AmiFamily;
  readonly architecture: Architecture;
  readonly labels: Record<string, string>;
  readonly taints: Taint[];
  readonly startupTaints: Taint[];
  readonly instanceSelection: InstanceSelection;
  readonly capacity: Capacity;
  readonly rootVolume: { readonly sizeGiB: number; readonly kmsKeyId?: string };
  readonly minSize: number;
  readonly maxSize: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly tags: Record<string, string>;
  readonly metadataHopLimit: number;
  readonly nodeRole: INodeRole;
  readonly extraBlockDevices: BlockDevice[];
  readonly weight: number;
  readonly limits: CapacityLimits;
  /** The fields the spec set itself; every other field came from the defaults. */
  readonly overrides: ReadonlySet<keyof LaunchSpec>;
}

/** Standing alone: current-generation types (engines add the generation rule), ≥ 2 vCPUs, no GPUs. */
export const STANDARD_SELECTION: InstanceSelection = { requirements: { vcpu: { min: 2 }, gpus: { max: 0 } } };

/**
 * The on-demand share and fallback as a launch-spec `Capacity`. The launch-spec model pairs an
 * on-demand share with fallback, so a share strictly between 0 and 100 needs fallback on.
 */
export function defaultCapacity(spotPercentage: number, fallbackToOnDemand: boolean): Capacity {
  if (!Number.isInteger(spotPercentage) || spotPercentage < 0 || spotPercentage > 100) {
    throw new Error(`defaults.spotPercentage: ${spotPercentage} is not a percentage. Fix: use an integer from 0 to 100.`);
  }
  if (spotPercentage === 0) return { type: 'on-demand' };
  if (fallbackToOnDemand) return { type: 'spot-with-fallback', onDemandBase: 0, onDemandPercentageAboveBase: 100 - spotPercentage };
  if (spotPercentage === 100) return { type: 'spot' };
  throw new Error(
    `defaults.spotPercentage: ${spotPercentage} mixes spot and on-demand but defaults.fallbackToOnDemand is false. ` +
      'Fix: set fallbackToOnDemand true, or spotPercentage 100 (spot only) or 0 (on-demand only).',
  );
}

/** Fills the defaults' gaps from the cluster and checks the values the launch-spec validation does not see. */
export function completeDefaults(defaults: OceanDefaults, cluster: IEksCluster): ResolvedDefaults {
  const hop = defaults.metadataHopLimit ?? 1;
  if (!Number.isInteger(hop) || hop < 1 || hop > 64) {
    throw new Error(`defaults.metadataHopLimit: ${hop} is out of range. Fix: use an integer from 1 to 64 (1 unless pods need IMDS).`);
  }
  for (const key of ['maxVcpu', 'maxMemoryGiB'] as const) {
    const n = defaults.limits?.[key];
    if (n !== undefined && !(Number.isInteger(n) && n > 0)) {
      throw new Error(`defaults.limits.${key}: ${n} is not a positive whole number. Fix: give a positive integer or omit the limit.`);
    }
  }
  const spotPercentage = defaults.spotPercentage ?? 100;
  const fallbackToOnDemand = defaults.fallbackToOnDemand ?? true;
  return {
    subnetIds: defaults.subnetIds ?? cluster.privateSubnetIds,
    securityGroupIds: defaults.securityGroupIds ?? [cluster.clusterSecurityGroupId],
    nodeRole: defaults.nodeRole ?? cluster.nodeRole,
    amiFamily: defaults.amiFamily ?? { kind: 'al2023' },
    architecture: defaults.architecture ?? 'x86_64',
    instanceSelection: defaults.instanceSelection ?? STANDARD_SELECTION,
    spotPercentage,
    fallbackToOnDemand,
    capacity: defaultCapacity(spotPercentage, fallbackToOnDemand),
    metadataHopLimit: hop,
    rootVolume: { sizeGiB: defaults.rootVolume?.sizeGiB ?? 50, kmsKeyId: defaults.rootVolume?.kmsKeyId },
    tags: defaults.tags ?? {},
    limits: defaults.limits ?? {},
    headroom: defaults.headroom,
    kubelet: defaults.kubelet,
    extraBlockDevices: defaults.extraBlockDevices ?? [],
    disruption: defaults.disruption,
  };
}

/** The launch spec with every field it does not set taken from the defaults. Tags are merged. */
export function resolveLaunchSpec(defaults: ResolvedDefaults, spec: LaunchSpec): ResolvedLaunchSpec {
  const overrides = new Set((Object.keys(spec) as (keyof LaunchSpec)[]).filter((k) => spec[k] !== undefined));
  return {
    name: spec.name,
    amiFamily: spec.amiFamily ?? defaults.amiFamily,
    architecture: spec.architecture ?? defaults.architecture,
    labels: spec.labels ?? {},
    taints: spec.taints ?? [],
    startupTaints: spec.startupTaints ?? [],
    instanceSelection: spec.instanceSelection ?? defaults.instanceSelection,
    capacity: spec.capacity ?? defaults.capacity,
    rootVolume: {
      sizeGiB: spec.rootVolume?.sizeGiB ?? defaults.rootVolume.sizeGiB,
      kmsKeyId: spec.rootVolume?.kmsKeyId ?? defaults.rootVolume.kmsKeyId,
    },
    minSize: spec.minSize ?? 0,
    maxSize: spec.maxSize ?? 10,
    subnetIds: spec.subnetIds ?? defaults.subnetIds,
    securityGroupIds: spec.securityGroupIds ?? defaults.securityGroupIds,
    tags: { ...defaults.tags, ...spec.tags },
    metadataHopLimit: defaults.metadataHopLimit,
    nodeRole: defaults.nodeRole,
    // Cluster-wide headroom stays on the defaults; a spec keeps only its own.
    headroom: spec.headroom,
    instanceProfile: spec.instanceProfile,
    kubelet: spec.kubelet ?? defaults.kubelet,
    extraBlockDevices: spec.extraBlockDevices ?? defaults.extraBlockDevices,
    disruption: spec.disruption ?? defaults.disruption,
    weight: spec.weight ?? DEFAULT_WEIGHT,
    limits: spec.limits ?? defaults.limits,
    overrides,
  };
}

/** Where a resolved field came from, for error messages: the spec's own field or the defaults'. */
export function fieldOrigin(spec: ResolvedLaunchSpec, field: keyof LaunchSpec, defaultsField: string = field): string {
  return spec.overrides.has(field) ? `launchSpecs['${spec.name}'].${field}` : `defaults.${defaultsField}`;
}
