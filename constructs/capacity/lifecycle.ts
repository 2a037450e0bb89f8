/**
 * One truthful lifecycle label per pool. A launch spec that mixes spot and on-demand is rendered
 * as a spot pool and an on-demand twin (`<name>-od`), each labelled `node-lifecycle` with what its
 * nodes really are, so ONE selector (`node-lifecycle: on-demand`) asks for on-demand under every
 * engine. A pool whose nodes may be either (an asg group with an on-demand share) carries no
 * template label: node-manager labels each node from IMDS `instance-life-cycle` when it starts.
 */
import type { Capacity, LaunchSpec, Lifecycle } from './launch-spec';

/** The suffix of a spec's on-demand twin. */
export const ON_DEMAND_SUFFIX = '-od';

/** One pool an engine renders for a launch spec. */
export interface CapacityVariant {
  /** The pool's name: the spec's, or `<name>-od` for the on-demand twin. */
  readonly name: string;
  /** What the pool may launch. */
  readonly capacity: Capacity;
  /** The label every node of the pool carries, or `undefined` when a node may be either. */
  readonly lifecycle?: Lifecycle;
  /** True for the on-demand twin of a spot pool. */
  readonly onDemandTwin: boolean;
}

/** What a pool with this capacity launches: only spot, only on-demand, or `undefined` (either). */
export function lifecycleOf(capacity: Capacity): Lifecycle | undefined {
  if (capacity.type === 'on-demand') return 'on-demand';
  if (capacity.type === 'spot') return 'spot';
  const share = capacity.onDemandPercentageAboveBase ?? 0;
  if (share === 100) return 'on-demand';
  return (capacity.onDemandBase ?? 0) > 0 || share > 0 ? undefined : 'spot';
}

/**
 * The pools of a spec: spot → one spot pool; on-demand (or a 100% on-demand share) → one
 * on-demand pool; spot-with-fallback → the spot (or mixed) pool first, then its on-demand twin,
 * which pods reach by asking for on-demand and which engines rank below every spot pool.
 */
export function capacityVariants(spec: Pick<LaunchSpec, 'name' | 'capacity'>): CapacityVariant[] {
  const capacity: Capacity = spec.capacity ?? { type: 'spot' };
  if (capacity.type !== 'spot-with-fallback') {
    return [{ name: spec.name, capacity, lifecycle: lifecycleOf(capacity), onDemandTwin: false }];
  }
  const lifecycle = lifecycleOf(capacity);
  // 100% on-demand above the base: one on-demand pool, no twin needed.
  if (lifecycle === 'on-demand') return [{ name: spec.name, capacity: { type: 'on-demand' }, lifecycle, onDemandTwin: false }];
  return [
    { name: spec.name, capacity: lifecycle === 'spot' ? { type: 'spot' } : capacity, lifecycle, onDemandTwin: false },
    { name: `${spec.name}${ON_DEMAND_SUFFIX}`, capacity: { type: 'on-demand' }, lifecycle: 'on-demand', onDemandTwin: true },
  ];
}
