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

/** `filters` on the Ocean, `instance_types_filters` on a launch spec. */
export interface InstanceTypeFilters {
  readonly architectures?: string[];
  readonly categories?: string[];
  readonly diskTypes?: string[];
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
  readonly excludeMetal?: boolean;
  readonly isEnaSupported?: string;
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
