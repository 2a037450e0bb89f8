/**
 * Block types shared by `spotinst_ocean_aws` and `spotinst_ocean_aws_launch_spec`, and the one
 * rule that turns typed props into Terraform JSON arguments: keys camelCase → snake_case, and every
 * block (a nested object) becomes a list of objects, as Terraform JSON writes blocks. These two
 * resources have no map-typed arguments (labels and tags are blocks), so the rule holds for all.
 */
import { Token } from 'cdktf';

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export interface OceanTaint extends KeyValue {
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The instance-type filters the Ocean's `filters` and a launch spec's `instance_types_filters` share. */
export interface InstanceTypeFilterFields {
  /** e.g. `General_purpose`, `Compute_optimized`, `Memory_optimized`, `Accelerated_computing`, `Storage_optimized`. */
  readonly categories?: string[];
  readonly diskTypes?: string[];
  /** Family patterns, e.g. `c5*`, `m7i`. */
  readonly includeFamilies?: string[];
  readonly excludeFamilies?: string[];
  readonly hypervisor?: string[];
  readonly rootDeviceTypes?: string[];
  readonly virtualizationTypes?: string[];
  readonly minVcpu?: number;
  readonly maxVcpu?: number;
  readonly minGpu?: number;
  readonly maxGpu?: number;
  readonly minEnis?: number;
  readonly minNetworkPerformance?: number;
  readonly maxNetworkPerformance?: number;
  readonly minMemoryGib?: number;
  readonly maxMemoryGib?: number;
  /** @default false (the provider's) */
  readonly excludeMetal?: boolean;
  readonly isEnaSupported?: string;
}

/** `filters` on the Ocean: the shared filters plus the architectures the Ocean may launch. */
export interface OceanFilters extends InstanceTypeFilterFields {
  /** `x86_64`, `arm64`, `i386`. */
  readonly architectures?: string[];
}

/**
 * `instance_types_filters` on a launch spec: the shared filters, and no `architectures` — the
 * provider has none there, because a launch spec's architecture is its image's.
 */
export interface LaunchSpecInstanceTypesFilters extends InstanceTypeFilterFields {
  /** Not an argument of `instance_types_filters`: the launch spec's image decides the architecture. */
  readonly architectures?: never;
}

/** A launch spec's `autoscale_headrooms` item: spare capacity Ocean keeps for this launch spec. */
export interface AutoscaleHeadroom {
  /** Units of headroom to keep. */
  readonly numOfUnits: number;
  /** CPU per unit, millicores. */
  readonly cpuPerUnit?: number;
  /** Memory per unit, MiB. */
  readonly memoryPerUnit?: number;
  /** GPUs per unit. */
  readonly gpuPerUnit?: number;
}

export interface InstanceMetadataOptions {
  readonly httpTokens: 'required' | 'optional';
  readonly httpPutResponseHopLimit?: number;
}

export interface BlockDeviceMapping {
  readonly deviceName: string;
  readonly ebs: {
    readonly deleteOnTermination?: boolean;
    readonly encrypted?: boolean;
    readonly iops?: number;
    readonly kmsKeyId?: string;
    readonly snapshotId?: string;
    readonly volumeSize?: number;
    readonly volumeType?: string;
    readonly throughput?: number;
  };
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const isBlock = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !Token.isUnresolved(v);

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (isBlock(v) ? toTerraformArguments(v) : v));
  if (isBlock(value)) return [toTerraformArguments(value)];
  return value;
}

/** Typed props → Terraform JSON arguments; `undefined` values are dropped. */
export function toTerraformArguments(props: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) out[snake(key)] = convert(value);
  }
  return out;
}
