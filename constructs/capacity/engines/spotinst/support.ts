/**
 * What a Spot Ocean launch spec cannot express, checked before rendering so the error names the
 * field and the engine instead of the setting being silently dropped. What it can express is
 * rendered: kubelet settings in the user data, extra volumes in `block_device_mappings`, a
 * disruption's `terminationGracePeriod` as `strategy.draining_timeout`.
 */
import type { Disruption, LaunchSpec } from '../../launch-spec';
import { checkOneImageSupport, unsupported } from '../../ocean-engine';

/** The fields of a launch spec (or of the defaults) this check reads. */
export type SpotinstCheckedFields = Pick<LaunchSpec, 'amiFamily' | 'kubelet' | 'disruption' | 'weight' | 'limits'>;

/** Disruption settings Ocean has no per-launch-spec equivalent for (it scales down by its own bin packing). */
const KARPENTER_ONLY: { key: keyof Disruption; why: string }[] = [
  { key: 'consolidationPolicy', why: 'Ocean always scales down empty and underused nodes by its own bin packing; a launch spec has no policy for it' },
  { key: 'consolidateAfter', why: 'Ocean scales down on its own schedule; a launch spec sets no wait' },
  { key: 'budgets', why: 'a launch spec keeps no disruption budget (Ocean limits scale-down cluster-wide)' },
  { key: 'expireAfter', why: 'Ocean does not expire nodes by age' },
];

/**
 * `origin` names a field where it was set: `launchSpecs['gpu'].weight`, or `defaults.disruption`
 * for a value the spec inherited. Pass `weight` and `limits` only when the spec set them itself.
 */
export function checkSpotinstSupport(spec: SpotinstCheckedFields, origin: (field: keyof LaunchSpec) => string): void {
  for (const { key, why } of KARPENTER_ONLY) {
    if (spec.disruption?.[key] !== undefined) {
      unsupported('spotinst', `${origin('disruption')}.${key}`, why, 'remove it (terminationGracePeriod is the one disruption setting Ocean takes, as its draining timeout), or use the karpenter engine');
    }
  }
  if (spec.weight !== undefined) {
    unsupported('spotinst', origin('weight'), 'Ocean ranks the launch specs a pod fits by itself and takes no weight; every spot launch spec already ranks above every on-demand one (soft taint)', 'remove weight, or steer pods with node selectors or preferred node affinity on the spec labels');
  }
  if (spec.limits !== undefined) {
    unsupported('spotinst', origin('limits'), "a launch spec is bounded by instance counts (resource_limits), not by total vCPU or memory, which Ocean caps cluster-wide", "bound the spec with maxSize, or cap the whole Ocean with defaults.limits");
  }
  checkOneImageSupport('spotinst', spec, origin);
}
