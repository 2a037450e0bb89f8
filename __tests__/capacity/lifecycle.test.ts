/**
 * The lifecycle label is truthful for every capacity a spec can have: checked over generated
 * capacities against what each engine's pool actually launches (ASG instances distribution,
 * Karpenter capacity-type requirement).
 */
import fc from 'fast-check';
import { instancesDistribution } from '../../constructs/capacity/engines/asg/instance-selection';
import { nodePoolManifests } from '../../constructs/capacity/engines/karpenter/manifests';
import type { Capacity } from '../../constructs/capacity/launch-spec';
import { capacityVariants, lifecycleOf } from '../../constructs/capacity/lifecycle';
import { completeDefaults, resolveLaunchSpec } from '../../constructs/capacity/ocean-defaults';
import { cluster } from './ocean-fixtures';

const capacity: fc.Arbitrary<Capacity> = fc.oneof(
  fc.constant<Capacity>({ type: 'spot' }),
  fc.constant<Capacity>({ type: 'on-demand' }),
  fc.record({ type: fc.constant('spot-with-fallback' as const), onDemandBase: fc.option(fc.nat(5), { nil: undefined }), onDemandPercentageAboveBase: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }) }),
);

/** What an ASG with this distribution launches: only spot, only on-demand, or either. */
function launched(c: Capacity): 'spot' | 'on-demand' | undefined {
  const d = instancesDistribution({ name: 'x', capacity: c }, 'lowest-price');
  if (d.onDemandPercentageAboveBaseCapacity === 100) return 'on-demand';
  return d.onDemandBaseCapacity === 0 && d.onDemandPercentageAboveBaseCapacity === 0 ? 'spot' : undefined;
}

describe('capacityVariants', () => {
  it('asg: every variant is labelled with what its group launches, and nothing when it may launch either', () => {
    fc.assert(
      fc.property(capacity, (c) => {
        for (const v of capacityVariants({ name: 'x', capacity: c })) expect(v.lifecycle).toBe(launched(v.capacity));
      }),
      { numRuns: 1000 },
    );
  });

  it('a spec that may run on-demand always offers a pool labelled on-demand; a spot-only spec never does', () => {
    fc.assert(
      fc.property(capacity, (c) => {
        const labels = capacityVariants({ name: 'x', capacity: c }).map((v) => v.lifecycle);
        expect(labels.includes('on-demand')).toBe(c.type !== 'spot');
        expect(labels.includes('spot')).toBe(c.type === 'spot' || lifecycleOf(c) === 'spot');
      }),
      { numRuns: 1000 },
    );
  });

  it('karpenter: every NodePool label equals its capacity-type requirement, spot pools outweigh on-demand ones', () => {
    const defaults = completeDefaults({}, cluster);
    const karpenterCapacity = capacity.filter((c) => lifecycleOf(c) !== undefined);
    fc.assert(
      fc.property(karpenterCapacity, fc.integer({ min: 1, max: 50 }), (c, weight) => {
        const pools = nodePoolManifests(resolveLaunchSpec(defaults, { name: 'x', capacity: c, weight }));
        for (const p of pools) {
          const types = p.spec.template.spec.requirements.find((r) => r.key === 'karpenter.sh/capacity-type')!.values;
          expect(types).toEqual([p.spec.template.metadata!.labels!['node-lifecycle']]);
          expect(p.spec.weight).toBe(types?.[0] === 'spot' ? 50 + weight : weight);
        }
      }),
    );
  });
});
