/**
 * Instance selection and capacity as Karpenter NodePool requirements (well-known labels of
 * karpenter.sh and karpenter.k8s.aws). Karpenter's `Gt`/`Lt` are strict, so a min of n is `Gt n-1`.
 */
import type { IIoK8sSigsKarpenterPkgApisV1NodeSelectorRequirementWithMinValues as Requirement } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodeSelectorRequirementWithMinValues';
import type { Capacity, InstanceSelection } from '../../launch-spec';
import type { ResolvedLaunchSpec } from '../../ocean-defaults';

export type { Requirement };

export const LABEL = {
  capacityType: 'karpenter.sh/capacity-type',
  instanceType: 'node.kubernetes.io/instance-type',
  arch: 'kubernetes.io/arch',
  os: 'kubernetes.io/os',
  category: 'karpenter.k8s.aws/instance-category',
  family: 'karpenter.k8s.aws/instance-family',
  generation: 'karpenter.k8s.aws/instance-generation',
  size: 'karpenter.k8s.aws/instance-size',
  cpu: 'karpenter.k8s.aws/instance-cpu',
  memory: 'karpenter.k8s.aws/instance-memory',
  gpuCount: 'karpenter.k8s.aws/instance-gpu-count',
} as const;

/** Bare-metal sizes EC2 offers; excluded unless a spec asks for them. */
const METAL_SIZES = ['metal', 'metal-16xl', 'metal-24xl', 'metal-32xl', 'metal-48xl'];

/** Karpenter's capacity types for a launch-spec capacity: on-demand stays allowed whenever the spec allows it. */
export function capacityTypes(capacity: Capacity): string[] {
  if (capacity.type === 'spot') return ['spot'];
  if (capacity.type === 'on-demand') return ['on-demand'];
  return ['spot', 'on-demand'];
}

function range(key: string, r: { min?: number; max?: number } | undefined): Requirement[] {
  const out: Requirement[] = [];
  if (r?.min !== undefined && r.min > 0) out.push({ key, operator: 'Gt', values: [String(r.min - 1)] });
  if (r?.max !== undefined) out.push({ key, operator: 'Lt', values: [String(r.max + 1)] });
  return out;
}

/** Requirements for the instance selection; attribute selection adds the current-generation rule. */
export function selectionRequirements(selection: InstanceSelection): Requirement[] {
  if (selection.instanceTypes !== undefined) return [{ key: LABEL.instanceType, operator: 'In', values: [...selection.instanceTypes] }];
  const r = selection.requirements ?? {};
  const out: Requirement[] = [{ key: LABEL.generation, operator: 'Gt', values: ['2'] }];
  if (r.categories?.length) out.push({ key: LABEL.category, operator: 'In', values: [...r.categories] });
  if (r.includeFamilies?.length) out.push({ key: LABEL.family, operator: 'In', values: [...r.includeFamilies] });
  if (r.excludeFamilies?.length) out.push({ key: LABEL.family, operator: 'NotIn', values: [...r.excludeFamilies] });
  out.push(...range(LABEL.cpu, r.vcpu), ...range(LABEL.memory, r.memoryMiB));
  // Karpenter sets no GPU-count label on GPU-less types, so "no GPUs" is DoesNotExist, not Lt 1.
  if (r.gpus?.max === 0) out.push({ key: LABEL.gpuCount, operator: 'DoesNotExist' });
  else out.push(...range(LABEL.gpuCount, r.gpus));
  if (r.excludeBareMetal ?? true) out.push({ key: LABEL.size, operator: 'NotIn', values: METAL_SIZES });
  return out;
}

/** Every requirement of a NodePool for `spec`: OS, architecture, capacity types, then the selection. */
export function nodePoolRequirements(spec: ResolvedLaunchSpec): Requirement[] {
  return [
    { key: LABEL.os, operator: 'In', values: ['linux'] },
    { key: LABEL.arch, operator: 'In', values: [spec.architecture === 'arm64' ? 'arm64' : 'amd64'] },
    { key: LABEL.capacityType, operator: 'In', values: capacityTypes(spec.capacity) },
    ...selectionRequirements(spec.instanceSelection),
  ];
}
