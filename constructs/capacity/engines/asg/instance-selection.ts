/**
 * How a launch spec's instance selection and capacity map onto an ASG mixed instances policy:
 * explicit types become `override` entries; requirements become one attribute-based
 * `instance_requirements` override (EC2 picks every matching type).
 */
import type {
  AutoscalingGroupMixedInstancesPolicyInstancesDistribution,
  AutoscalingGroupMixedInstancesPolicyLaunchTemplateOverride,
  AutoscalingGroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirements,
} from '@cdktf/provider-aws/lib/autoscaling-group';
import type { Architecture, InstanceRequirements, LaunchSpec } from '../../launch-spec';

/** EC2 accepts at most 40 explicit overrides in a mixed instances policy. */
export const MAX_INSTANCE_TYPE_OVERRIDES = 40;

/** Standing alone, a spec without a selection gets current-generation types with ≥ 2 vCPUs. */
export const DEFAULT_REQUIREMENTS: InstanceRequirements = { vcpu: { min: 2 } };

export type OnDemandAllocationStrategy = 'lowest-price' | 'prioritized';

export function launchTemplateOverrides(spec: LaunchSpec, path: string): AutoscalingGroupMixedInstancesPolicyLaunchTemplateOverride[] {
  const types = spec.instanceSelection?.instanceTypes;
  if (types !== undefined) {
    if (types.length > MAX_INSTANCE_TYPE_OVERRIDES) {
      throw new Error(
        `${path}.instanceSelection.instanceTypes: ${types.length} types, an ASG takes at most ${MAX_INSTANCE_TYPE_OVERRIDES}. Fix: list fewer types, or use requirements.`,
      );
    }
    return types.map((instanceType) => ({ instanceType }));
  }
  const requirements = spec.instanceSelection?.requirements ?? DEFAULT_REQUIREMENTS;
  return [{ instanceRequirements: asgInstanceRequirements(requirements, spec.architecture ?? 'x86_64', path) }];
}

export function asgInstanceRequirements(
  r: InstanceRequirements,
  arch: Architecture,
  path: string,
): AutoscalingGroupMixedInstancesPolicyLaunchTemplateOverrideInstanceRequirements {
  const { allowed, excluded } = typePatterns(r, `${path}.instanceSelection.requirements`);
  const wantsBurstable = (allowed ?? []).some((pattern) => pattern.startsWith('t'));
  const wantsGpus = r.gpus !== undefined && r.gpus.max !== 0;
  return {
    // EC2 requires both minimums; 0 means "no minimum".
    vcpuCount: { min: r.vcpu?.min ?? DEFAULT_REQUIREMENTS.vcpu!.min, max: r.vcpu?.max },
    memoryMib: { min: r.memoryMiB?.min ?? 0, max: r.memoryMiB?.max },
    // No GPUs unless asked: the standard AMIs carry no GPU drivers. Types and manufacturers
    // narrow only when GPUs are wanted: with max 0 they would match no instance type at all.
    acceleratorCount: r.gpus ? { min: r.gpus.min, max: r.gpus.max } : { max: 0 },
    acceleratorTypes: wantsGpus ? ['gpu'] : undefined,
    acceleratorManufacturers: wantsGpus ? ['nvidia'] : undefined,
    // The AMI is built for one architecture; keep EC2 from picking types of the other.
    cpuManufacturers: arch === 'arm64' ? ['amazon-web-services'] : ['intel', 'amd'],
    instanceGenerations: ['current'],
    bareMetal: r.excludeBareMetal === false ? 'included' : 'excluded',
    burstablePerformance: wantsBurstable ? 'included' : 'excluded',
    allowedInstanceTypes: allowed,
    excludedInstanceTypes: excluded,
  };
}

/**
 * Families and categories as EC2 type patterns. EC2 takes either allowed OR excluded patterns, so
 * exclusions only apply on their own: with included families they are moot, with categories an error.
 */
function typePatterns(r: InstanceRequirements, field: string): { allowed?: string[]; excluded?: string[] } {
  const exclude = r.excludeFamilies ?? [];
  if (r.includeFamilies !== undefined) {
    // Exclusions cannot overlap inclusions (validation), so the allowed list already leaves them out.
    const families = r.includeFamilies.filter((f) => r.categories === undefined || r.categories.includes(categoryOf(f)));
    if (families.length === 0) {
      throw new Error(`${field}.includeFamilies: no family is of the listed categories. Fix: include a family of those categories, or drop categories.`);
    }
    return { allowed: families.map((f) => `${f}.*`) };
  }
  if (r.categories !== undefined) {
    if (exclude.length > 0) {
      throw new Error(
        `${field}.excludeFamilies: an ASG cannot combine categories with excluded families (EC2 takes allowed OR excluded types). Fix: list includeFamilies instead of categories.`,
      );
    }
    // '<category><generation>*' so that 'm' does not match 'mac1' nor 'i' match 'inf2'.
    return { allowed: r.categories.flatMap((c) => GENERATIONS.map((g) => `${c}${g}*`)) };
  }
  return exclude.length > 0 ? { excluded: exclude.map((f) => `${f}.*`) } : {};
}

const GENERATIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** 'm7i' → 'm', 'inf2' → 'inf', 'u-6tb1' → 'u'. */
function categoryOf(family: string): string {
  return /^[a-z]+/.exec(family)?.[0] ?? family;
}

export function instancesDistribution(
  spec: LaunchSpec,
  onDemandAllocationStrategy: OnDemandAllocationStrategy,
): AutoscalingGroupMixedInstancesPolicyInstancesDistribution {
  const capacity = spec.capacity ?? { type: 'spot' };
  const [base, percentage] =
    capacity.type === 'on-demand'
      ? [0, 100]
      : capacity.type === 'spot'
        ? [0, 0]
        : [capacity.onDemandBase ?? 0, capacity.onDemandPercentageAboveBase ?? 0];
  return {
    onDemandBaseCapacity: base,
    onDemandPercentageAboveBaseCapacity: percentage,
    onDemandAllocationStrategy,
    // Deep, cheap pools: fewer interruptions than lowest-price at nearly its price.
    spotAllocationStrategy: 'price-capacity-optimized',
  };
}
