/**
 * Pure mapping from the resolved defaults and launch specs to Spot Ocean's arguments. Ocean names
 * things its own way: instance categories are family prefixes (`c` → `c*`), memory is GiB, the
 * on-demand share is a per-launch-spec spot percentage, and fallback to on-demand is Ocean-wide.
 */
import type { Capacity, InstanceRequirements, InstanceSelection, Taint } from '../../launch-spec';
import { fieldOrigin, type ResolvedDefaults, type ResolvedLaunchSpec } from '../../ocean-defaults';
import { unsupported } from '../../ocean-engine';
import type { BlockDeviceMapping, InstanceMetadataOptions, InstanceTypeFilters, KeyValue, OceanTaint } from './blocks';

/** Ocean's on-demand label: a pod asks for on-demand with `spotinst.io/node-lifecycle: od`. */
export const OCEAN_LIFECYCLE_LABEL = 'spotinst.io/node-lifecycle';

const GENERATIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const familyCategory = (family: string) => /^[a-z]+/.exec(family)?.[0] ?? family;

/**
 * Requirements as Ocean filters. A category becomes family wildcards with its generation digit
 * (`c` → `c1*`…`c9*`, as the asg engine does) so `i` does not also match `inf`; with
 * includeFamilies as well, only the families in those categories stay (the intersection Karpenter applies).
 */
export function oceanFilters(r: InstanceRequirements, architecture: string): InstanceTypeFilters {
  const categories = r.categories?.length ? r.categories : undefined;
  const includeFamilies = r.includeFamilies?.length
    ? r.includeFamilies.filter((f) => !categories || categories.includes(familyCategory(f)))
    : categories?.flatMap((c) => GENERATIONS.map((g) => `${c}${g}*`));
  const gib = (mib: number | undefined) => (mib === undefined ? undefined : mib / 1024);
  return {
    architectures: [architecture],
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

/** Explicit types, or filters (the architecture rides with the filters; types imply their own). */
export function selection(s: InstanceSelection, architecture: string): { types?: string[]; filters?: InstanceTypeFilters } {
  if (s.instanceTypes !== undefined) return { types: [...s.instanceTypes] };
  return { filters: oceanFilters(s.requirements ?? {}, architecture) };
}

/** A launch spec's spot percentage; fallback to on-demand is one Ocean-wide switch. */
export function spotPercentage(spec: ResolvedLaunchSpec, fallbackToOnDemand: boolean): number {
  const capacity: Capacity = spec.capacity;
  const field = fieldOrigin(spec, 'capacity', 'spotPercentage');
  if (capacity.type === 'on-demand') return 0;
  if (capacity.type === 'spot') {
    if (fallbackToOnDemand) {
      unsupported('spotinst', field, "'spot' (no on-demand fallback) for one launch spec, while fallback_to_ondemand is an Ocean-wide switch that defaults.fallbackToOnDemand turns on", "use the defaults' capacity for this spec, or set defaults.fallbackToOnDemand false");
    }
    return 100;
  }
  if ((capacity.onDemandBase ?? 0) > 0) {
    unsupported('spotinst', `${field}.onDemandBase`, 'an Ocean launch spec has a spot percentage, not an on-demand base count', 'express the on-demand part as onDemandPercentageAboveBase');
  }
  if (!fallbackToOnDemand) {
    unsupported('spotinst', field, "'spot-with-fallback' for one launch spec, while fallback_to_ondemand is Ocean-wide and defaults.fallbackToOnDemand is false", 'set defaults.fallbackToOnDemand true, or give this spec capacity spot or on-demand');
  }
  return 100 - (capacity.onDemandPercentageAboveBase ?? 0);
}

export const keyValues = (record: Record<string, string>): KeyValue[] => Object.entries(record).map(([key, value]) => ({ key, value }));
/** Ocean requires a taint value; an empty one stays empty. */
export const oceanTaints = (taints: Taint[]): OceanTaint[] => taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect }));

export function metadataOptions(hopLimit: number): InstanceMetadataOptions {
  return { httpTokens: 'required', httpPutResponseHopLimit: hopLimit };
}

/** Encrypted gp3; Bottlerocket keeps its OS on xvda and containers on xvdb, which gets the size. */
export function blockDevices(amiKind: string, volume: { sizeGiB: number; kmsKeyId?: string }): BlockDeviceMapping[] {
  const ebs = (volumeSize: number) => ({ volumeSize, volumeType: 'gp3', encrypted: true, deleteOnTermination: true, kmsKeyId: volume.kmsKeyId });
  return amiKind === 'bottlerocket'
    ? [{ deviceName: '/dev/xvda', ebs: ebs(4) }, { deviceName: '/dev/xvdb', ebs: ebs(volume.sizeGiB) }]
    : [{ deviceName: '/dev/xvda', ebs: ebs(volume.sizeGiB) }];
}

/** Tags every node carries: the cluster's ownership tag first, then the configured tags. */
export function nodeTags(clusterTagKey: string, tags: Record<string, string>): KeyValue[] {
  return keyValues({ [clusterTagKey]: 'owned', ...tags });
}

/** The Ocean-level instance selection from the defaults. */
export function oceanSelection(defaults: ResolvedDefaults): { whitelist?: string[]; filters?: InstanceTypeFilters } {
  const s = selection(defaults.instanceSelection, defaults.architecture);
  return s.types ? { whitelist: s.types } : { filters: s.filters };
}
