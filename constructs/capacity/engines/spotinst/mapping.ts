/**
 * Pure mapping from the resolved defaults and launch specs to Spot Ocean's arguments. Ocean names
 * things its own way: instance categories are family prefixes (`c` → `c*`), memory is GiB, a launch
 * spec's capacity is a spot percentage, and fallback to on-demand is Ocean-wide.
 */
import { LIFECYCLE_LABEL, type Architecture, type BlockDevice, type Capacity, type Headroom, type InstanceRequirements, type Lifecycle, type Taint } from '../../launch-spec';
import { capacityVariants, type CapacityVariant } from '../../lifecycle';
import { fieldOrigin, type ResolvedDefaults, type ResolvedLaunchSpec } from '../../ocean-defaults';
import { unsupported } from '../../ocean-engine';
import type {
  AutoscaleHeadroom,
  BlockDeviceMapping,
  InstanceMetadataOptions,
  InstanceTypeFilterFields,
  KeyValue,
  LaunchSpecInstanceTypesFilters,
  OceanFilters,
  OceanTaint,
} from './blocks';

/** Ocean's own lifecycle label: Ocean sets `spotinst.io/node-lifecycle: spot|od` on every node it launches. */
export const OCEAN_LIFECYCLE_LABEL = 'spotinst.io/node-lifecycle';

/**
 * The taint that keeps pods without a lifecycle selector off on-demand launch specs: soft
 * (PreferNoSchedule), so a pod selecting `node-lifecycle: on-demand` needs no toleration.
 */
export const ON_DEMAND_TAINT: Taint = { key: LIFECYCLE_LABEL, value: 'on-demand', effect: 'PreferNoSchedule' };

const GENERATIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const familyCategory = (family: string) => /^[a-z]+/.exec(family)?.[0] ?? family;

/**
 * Requirements as Ocean's instance-type filters (shared by both blocks). A category becomes family
 * wildcards with its generation digit (`c` → `c1*`…`c9*`, as the asg engine does) so `i` does not
 * also match `inf`; with includeFamilies as well, only the families in those categories stay (the
 * intersection Karpenter applies).
 */
function filterFields(r: InstanceRequirements): InstanceTypeFilterFields {
  const categories = r.categories?.length ? r.categories : undefined;
  const includeFamilies = r.includeFamilies?.length
    ? r.includeFamilies.filter((f) => !categories || categories.includes(familyCategory(f)))
    : categories?.flatMap((c) => GENERATIONS.map((g) => `${c}${g}*`));
  const gib = (mib: number | undefined) => (mib === undefined ? undefined : mib / 1024);
  return {
    minVcpu: r.vcpu?.min,
    maxVcpu: r.vcpu?.max,
    minMemoryGib: gib(r.memoryMiB?.min),
    maxMemoryGib: gib(r.memoryMiB?.max),
    minGpu: r.gpus?.min,
    maxGpu: r.gpus?.max,
    includeFamilies,
    excludeFamilies: r.excludeFamilies?.length ? [...r.excludeFamilies] : undefined,
    excludeMetal: r.excludeBareMetal ?? true,
  };
}

/** The Ocean's `filters`: the requirements and the architecture of the Ocean's default image. */
export function oceanFilters(r: InstanceRequirements, architecture: Architecture): OceanFilters {
  return { architectures: [architecture], ...filterFields(r) };
}

/** A launch spec's `instance_types_filters`: the requirements only; the spec's image decides the architecture. */
export function launchSpecFilters(r: InstanceRequirements): LaunchSpecInstanceTypesFilters {
  return filterFields(r);
}

/**
 * The architecture an instance type runs, from its family name: Graviton families carry a `g`
 * after the generation (`m7g`, `c6gn`, `g5g`, `is4gen`), and `a1`. Undefined when the name is not
 * the usual `<family><generation><attributes>.<size>`.
 */
export function instanceTypeArchitecture(instanceType: string): Architecture | undefined {
  const family = instanceType.split('.')[0];
  if (family === 'a1') return 'arm64';
  const m = /^[a-z]+[0-9]+([a-z-]*)$/.exec(family);
  if (!m) return undefined;
  return m[1].includes('g') ? 'arm64' : 'x86_64';
}

/**
 * A launch spec's instance types, or filters. Ocean picks only types of its image's architecture;
 * an explicit type of the other architecture is a mistake caught here, naming the field.
 */
export function launchSpecSelection(spec: ResolvedLaunchSpec): { types?: string[]; filters?: LaunchSpecInstanceTypesFilters } {
  const s = spec.instanceSelection;
  if (s.instanceTypes === undefined) return { filters: launchSpecFilters(s.requirements ?? {}) };
  const wrong = s.instanceTypes.filter((t) => (instanceTypeArchitecture(t) ?? spec.architecture) !== spec.architecture);
  if (wrong.length > 0) {
    unsupported(
      'spotinst',
      `${fieldOrigin(spec, 'instanceSelection')}.instanceTypes`,
      `${wrong.join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not ${spec.architecture}, the architecture of this launch spec's image (${fieldOrigin(spec, 'architecture')})`,
      `list ${spec.architecture} types only, or set architecture to ${spec.architecture === 'arm64' ? 'x86_64' : 'arm64'}`,
    );
  }
  return { types: [...s.instanceTypes] };
}

/** One Ocean launch spec of a resolved spec: a capacity variant and its spot percentage. */
export interface OceanVariant extends CapacityVariant {
  readonly lifecycle: Lifecycle;
  /** 100 for the spot launch spec, 0 for an on-demand one. */
  readonly spotPercentage: number;
}

/**
 * The launch specs one resolved spec becomes: its capacity variants (`capacityVariants`), each
 * with ONE lifecycle its nodes truly have — a spot launch spec at spot_percentage 100, an
 * on-demand one (or the on-demand twin `<name>-od`) at 0. Spot's unavailability is covered by
 * Ocean's fallback_to_ondemand, an Ocean-wide switch: a spot-only spec needs it off (a fallback
 * node would be on-demand under a `spot` label), a spec with a twin needs it on. A pool that mixes
 * spot and on-demand (an on-demand base or share) has no truthful label, so it fails.
 */
export function oceanVariants(spec: ResolvedLaunchSpec, fallbackToOnDemand: boolean): OceanVariant[] {
  const capacity: Capacity = spec.capacity;
  const field = fieldOrigin(spec, 'capacity', 'spotPercentage');
  const variants = capacityVariants(spec);
  if (variants.some((v) => v.lifecycle === undefined) && capacity.type === 'spot-with-fallback') {
    if ((capacity.onDemandBase ?? 0) > 0) {
      unsupported('spotinst', `${field}.onDemandBase`, 'an Ocean launch spec has a spot percentage, not an on-demand base count', "drop it: pods that need on-demand select node-lifecycle: on-demand and get the spec's on-demand twin");
    }
    unsupported('spotinst', spec.overrides.has('capacity') ? `${field}.onDemandPercentageAboveBase` : field, "an on-demand share inside a launch spec would put on-demand nodes under its node-lifecycle: spot label", "drop the share (spotPercentage 100): pods that need on-demand select node-lifecycle: on-demand and get the spec's on-demand twin");
  }
  if (capacity.type === 'spot' && fallbackToOnDemand) {
    unsupported('spotinst', field, "'spot' (no on-demand fallback) for one launch spec, while fallback_to_ondemand is an Ocean-wide switch that defaults.fallbackToOnDemand turns on", "use the defaults' capacity for this spec, or set defaults.fallbackToOnDemand false");
  }
  if (variants.some((v) => v.onDemandTwin) && !fallbackToOnDemand) {
    unsupported('spotinst', field, "'spot-with-fallback' for one launch spec, while fallback_to_ondemand is Ocean-wide and defaults.fallbackToOnDemand is false", 'set defaults.fallbackToOnDemand true, or give this spec capacity spot or on-demand');
  }
  return variants.map((v) => {
    const lifecycle = v.lifecycle!;
    return { ...v, lifecycle, spotPercentage: lifecycle === 'spot' ? 100 : 0 };
  });
}

/** One unit of headroom in Ocean's terms (the Ocean's `autoscale_headroom`, a launch spec's `autoscale_headrooms` item). */
export function headroomUnit(headroom: Headroom): AutoscaleHeadroom {
  return { numOfUnits: headroom.numOfUnits, cpuPerUnit: headroom.cpuPerUnit, memoryPerUnit: headroom.memoryPerUnit, gpuPerUnit: headroom.gpuPerUnit };
}

/** A launch spec's `autoscale_headrooms` from the model's headroom. */
export function headrooms(headroom: Headroom | undefined): AutoscaleHeadroom[] | undefined {
  return headroom ? [headroomUnit(headroom)] : undefined;
}

export const keyValues = (record: Record<string, string>): KeyValue[] => Object.entries(record).map(([key, value]) => ({ key, value }));
/** Ocean requires a taint value; an empty one stays empty. */
export const oceanTaints = (taints: Taint[]): OceanTaint[] => taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect }));

export function metadataOptions(hopLimit: number): InstanceMetadataOptions {
  return { httpTokens: 'required', httpPutResponseHopLimit: hopLimit };
}

/**
 * Encrypted volumes deleted with the node: the root volume (gp3; Bottlerocket keeps its OS on xvda
 * and containers on xvdb, which gets the size), then the extra volumes as given.
 */
export function blockDevices(amiKind: string, volume: { sizeGiB: number; kmsKeyId?: string }, extra: readonly BlockDevice[] = []): BlockDeviceMapping[] {
  const ebs = (volumeSize: number) => ({ volumeSize, volumeType: 'gp3', encrypted: true, deleteOnTermination: true, kmsKeyId: volume.kmsKeyId });
  const root: BlockDeviceMapping[] =
    amiKind === 'bottlerocket' ? [{ deviceName: '/dev/xvda', ebs: ebs(4) }, { deviceName: '/dev/xvdb', ebs: ebs(volume.sizeGiB) }] : [{ deviceName: '/dev/xvda', ebs: ebs(volume.sizeGiB) }];
  return [
    ...root,
    ...extra.map((d) => ({
      deviceName: d.deviceName,
      ebs: { volumeSize: d.sizeGiB, volumeType: d.volumeType ?? 'gp3', iops: d.iops, throughput: d.throughput, encrypted: true, deleteOnTermination: true, kmsKeyId: d.kmsKeyId },
    })),
  ];
}

/** A Go duration (`90s`, `10m`, `1h30m`) in whole seconds: Ocean's `draining_timeout`. */
export function durationSeconds(duration: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const [, n, unit] of duration.matchAll(/([0-9]+)(h|m|s)/g)) seconds += Number(n) * units[unit];
  return seconds;
}

/** Tags every node carries: the cluster's ownership tag first, then the configured tags. */
export function nodeTags(clusterTagKey: string, tags: Record<string, string>): KeyValue[] {
  return keyValues({ [clusterTagKey]: 'owned', ...tags });
}

/** The Ocean-level instance selection from the defaults. */
export function oceanSelection(defaults: ResolvedDefaults): { whitelist?: string[]; filters?: OceanFilters } {
  const s = defaults.instanceSelection;
  return s.instanceTypes !== undefined ? { whitelist: [...s.instanceTypes] } : { filters: oceanFilters(s.requirements ?? {}, defaults.architecture) };
}
