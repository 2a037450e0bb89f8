/**
 * The field names a launch spec may carry, checked at runtime: configs read from JSON, context or
 * the environment, and apps run without type-checking (`tsx`), would otherwise drop a misspelt
 * field such as `lables` or `maxsize` and synthesize its default silently.
 *
 * `satisfies` keeps each shape in step with its TypeScript interface: a field added to
 * `LaunchSpec` (or a nested type) without being listed here is a compile error.
 */
import { unknownKeyMessage } from '../closest';
import type {
  AmiFamily, BlockDevice, Capacity, CapacityLimits, Disruption, DisruptionBudget, Headroom, InstanceRequirements, InstanceSelection,
  KubeletSettings, LaunchSpec, ReservedResources, RootVolume, Taint, UserDataPart,
} from './launch-spec';
import type { OceanDefaults, OceanLimits, ResolvedLaunchSpec } from './ocean-defaults';

/** `true`: a value checked elsewhere (scalar, free-form map); an object: a nested shape; `[shape]`: a list of it. */
export type Shape = true | { readonly [key: string]: Shape } | readonly [Shape];
export type KeysOf<T> = { readonly [K in keyof Required<T>]: Shape };
type UnionKeys<T> = T extends unknown ? keyof T : never;

const RANGE = { min: true, max: true } as const;
const TAINT = { key: true, value: true, effect: true } as const satisfies KeysOf<Taint>;
const USER_DATA_PART = { contentType: true, content: true } as const satisfies KeysOf<UserDataPart>;
const AMI_FAMILY = { kind: true, extraUserDataParts: [USER_DATA_PART], extraSettingsToml: true, amiId: true, userData: true, version: true, amiTags: true } as const satisfies Record<UnionKeys<AmiFamily>, Shape>;
const CAPACITY = { type: true, onDemandBase: true, onDemandPercentageAboveBase: true } as const satisfies Record<UnionKeys<Capacity>, Shape>;
const REQUIREMENTS = {
  vcpu: RANGE, memoryMiB: RANGE, gpus: RANGE, categories: true, includeFamilies: true, excludeFamilies: true, excludeBareMetal: true,
} as const satisfies KeysOf<InstanceRequirements>;
const SELECTION = { instanceTypes: true, requirements: REQUIREMENTS } as const satisfies KeysOf<InstanceSelection>;
const ROOT_VOLUME = { sizeGiB: true, kmsKeyId: true } as const satisfies Record<keyof Required<RootVolume>, Shape>;
const HEADROOM = { cpuPerUnit: true, memoryPerUnit: true, gpuPerUnit: true, numOfUnits: true } as const satisfies KeysOf<Headroom>;
const RESERVED = { cpu: true, memory: true, ephemeralStorage: true } as const satisfies KeysOf<ReservedResources>;
const KUBELET = { maxPods: true, kubeReserved: RESERVED, systemReserved: RESERVED } as const satisfies KeysOf<KubeletSettings>;
const BLOCK_DEVICE = { deviceName: true, sizeGiB: true, volumeType: true, iops: true, throughput: true, kmsKeyId: true } as const satisfies KeysOf<BlockDevice>;
const BUDGET = { nodes: true, schedule: true, duration: true, reasons: true } as const satisfies KeysOf<DisruptionBudget>;
const DISRUPTION = {
  consolidationPolicy: true, consolidateAfter: true, budgets: [BUDGET], expireAfter: true, terminationGracePeriod: true,
} as const satisfies KeysOf<Disruption>;
const LIMITS = { maxVcpu: true, maxMemoryGiB: true } as const satisfies KeysOf<CapacityLimits>;

export const LAUNCH_SPEC_SHAPE = {
  name: true, amiFamily: AMI_FAMILY, architecture: true, labels: true, taints: [TAINT], startupTaints: [TAINT],
  instanceSelection: SELECTION, capacity: CAPACITY, rootVolume: ROOT_VOLUME, minSize: true, maxSize: true,
  subnetIds: true, securityGroupIds: true, tags: true, headroom: HEADROOM, instanceProfile: true, kubelet: KUBELET,
  extraBlockDevices: [BLOCK_DEVICE], disruption: DISRUPTION, weight: true, limits: LIMITS,
} as const satisfies KeysOf<LaunchSpec>;

/**
 * A spec after `resolveLaunchSpec` (what the engines hand to SpotNodeGroup and friends) also
 * carries the fields it inherits from the defaults.
 */
export const RESOLVED_LAUNCH_SPEC_SHAPE = {
  ...LAUNCH_SPEC_SHAPE,
  metadataHopLimit: true, nodeRole: true, overrides: true,
} as const satisfies KeysOf<ResolvedLaunchSpec>;

/** The Ocean's cluster-wide defaults (`nodeRole` is a construct reference, not checked inside). */
export const OCEAN_DEFAULTS_SHAPE = {
  subnetIds: true, securityGroupIds: true, nodeRole: true, amiFamily: AMI_FAMILY, architecture: true, instanceSelection: SELECTION,
  spotPercentage: true, fallbackToOnDemand: true, metadataHopLimit: true, rootVolume: ROOT_VOLUME, tags: true,
  limits: LIMITS satisfies KeysOf<OceanLimits>, headroom: HEADROOM, kubelet: KUBELET, extraBlockDevices: [BLOCK_DEVICE],
  disruption: DISRUPTION,
} as const satisfies KeysOf<OceanDefaults>;

/** `<path>.<field>: unknown setting …; did you mean …?` for every field `shape` does not name. */
export function unknownFieldProblems(value: unknown, shape: Shape, path: string): string[] {
  if (shape === true || value === null || typeof value !== 'object') return [];
  if (Array.isArray(shape)) return Array.isArray(value) ? value.flatMap((v, i) => unknownFieldProblems(v, shape[0], `${path}[${i}]`)) : [];
  if (Array.isArray(value)) return [];
  const known = Object.keys(shape);
  return Object.entries(value).flatMap(([key, v]) =>
    key in shape
      ? unknownFieldProblems(v, (shape as Record<string, Shape>)[key], `${path}.${key}`)
      : [`${path}.${key}: ${unknownKeyMessage(key, known)}`],
  );
}
