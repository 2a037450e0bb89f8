/** Misspelt fields fail at runtime too: apps run by tsx are not type-checked, and configs come from JSON. */
import { SpotNodeGroup } from '../../constructs/capacity/engines/asg/spot-node-group';
import { validateLaunchSpec } from '../../constructs/capacity/validate-launch-spec';
import { cluster, render, twoStacks } from './ocean-fixtures';

const fails = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('unknown launch-spec and Ocean fields', () => {
  it.each([
    [{ name: 'a', lables: { x: 'y' } }, 'launchSpecs[0].lables', 'labels'],
    [{ name: 'a', maxsize: 3 }, 'launchSpecs[0].maxsize', 'maxSize'],
    [{ name: 'a', instanceSelection: { requirements: { vcpus: { min: 2 } } } }, 'launchSpecs[0].instanceSelection.requirements.vcpus', 'vcpu'],
    [{ name: 'a', capacity: { type: 'spot-with-fallback', onDemandBse: 1 } }, 'launchSpecs[0].capacity.onDemandBse', 'onDemandBase'],
    [{ name: 'a', startupTaints: [{ key: 'k', efect: 'NoSchedule' }] }, 'launchSpecs[0].startupTaints[0].efect', 'effect'],
  ])('validateLaunchSpec rejects %j at %s, suggesting %s', (spec, field, near) => {
    expect(fails(() => validateLaunchSpec(spec as never, 'launchSpecs[0]'))).toContain(`${field}: unknown setting "${field.split('.').pop()!.replace(/\[\d+\]$/, '')}"; did you mean "${near}"?`);
  });

  it('every engine refuses a misspelt launch-spec field instead of rendering defaults', () => {
    for (const engine of ['karpenter', 'asg'] as const) {
      expect(fails(() => render({ engine }, [{ name: 'gpu', lables: { processor: 'gpu' } } as never]))).toMatch(/lables: unknown setting "lables"; did you mean "labels"/);
    }
  });

  it('the Ocean refuses misspelt defaults and props', () => {
    expect(fails(() => render({ engine: 'asg', defaults: { spotPercentag: 50 } as never }))).toMatch(/props\.defaults\.spotPercentag: .*did you mean "spotPercentage"/);
    expect(fails(() => render({ engine: 'asg', launchSpec: [] } as never))).toMatch(/props\.launchSpec: .*did you mean "launchSpecs"/);
  });

  it('SpotNodeGroup refuses a misspelt field of its spec', () => {
    const { clusterStack } = twoStacks();
    expect(fails(() => new SpotNodeGroup(clusterStack, 'g', { cluster, spec: { name: 'sys', minsize: 1 } as never }))).toMatch(/minsize: .*did you mean "minSize"/);
  });
});
