/**
 * Spot by default, on-demand on request, one truthful lifecycle label: read from the synthesized
 * output of each engine, with a model of how the engine picks a pool for a pending pod.
 */
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { kubeletFlag, nodeConfigOf } from './decode';
import { cpuSpec, gpuSpec, render, resources, resourceList, sharedDefaults } from './ocean-fixtures';
import { asgTemplates, autoscalerFirstChoice, expanderPriorities, fits, karpenterFirstChoice, nodePoolTemplates, tierOf, type Pod } from './scheduling';

const gpuToleration = { key: 'nvidia.com/gpu', operator: 'Equal' as const, value: 'true', effect: 'NoSchedule' };
/** What a workload writes: nothing; a launch spec's label; the documented on-demand selector; Karpenter's own. */
const pods: Record<string, Pod> = {
  plain: {},
  gpu: { nodeSelector: { processor: 'gpu' }, tolerations: [gpuToleration] },
  onDemand: { nodeSelector: { 'node-lifecycle': 'on-demand' } },
  gpuOnDemand: { nodeSelector: { processor: 'gpu', 'node-lifecycle': 'on-demand' }, tolerations: [gpuToleration] },
};
/** Every kind of capacity: spot with fallback (cpu, gpu), spot only, on-demand only, and (asg) a mixed share. */
const specs: LaunchSpec[] = [
  cpuSpec,
  gpuSpec,
  { name: 'batch', labels: { workload: 'batch' }, capacity: { type: 'spot' } },
  { name: 'steady', labels: { workload: 'steady' }, capacity: { type: 'on-demand' } },
];
const mixed: LaunchSpec = { name: 'mixed', labels: { workload: 'mixed' }, capacity: { type: 'spot-with-fallback', onDemandBase: 1, onDemandPercentageAboveBase: 20 } };

describe('karpenter: spot by default, on-demand on request', () => {
  const r = render({ engine: 'karpenter', defaults: sharedDefaults }, [...specs, { name: 'heavy', labels: { workload: 'heavy' }, weight: 50 }]);
  const pools = nodePoolTemplates(resourceList(r.workloadsJson, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === 'NodePool'));

  it.each(['plain', 'gpu'])('a %s pod is first offered only spot pools', (pod) => {
    const first = karpenterFirstChoice(pods[pod], pools);
    expect(first.length).toBeGreaterThan(0);
    for (const pool of first) {
      expect(pool.capacityTypes).toEqual(['spot']);
      expect(pool.labels['node-lifecycle']).toBe('spot');
    }
  });

  it('a plain pod reaches on-demand only through a lighter twin (fallback), never first', () => {
    const fitting = pools.filter((p) => fits(pods.plain, p));
    const spotWeights = fitting.filter((p) => p.capacityTypes.includes('spot')).map((p) => p.weight);
    const onDemandWeights = fitting.filter((p) => p.capacityTypes.includes('on-demand')).map((p) => p.weight);
    expect(Math.min(...spotWeights)).toBeGreaterThan(Math.max(...onDemandWeights));
  });

  it.each(['onDemand', 'gpuOnDemand'])('a pod with the on-demand selector (%s) fits only on-demand pools', (pod) => {
    const fitting = pools.filter((p) => fits(pods[pod], p));
    expect(fitting.length).toBeGreaterThan(0);
    for (const pool of fitting) expect(pool.capacityTypes).toEqual(['on-demand']);
  });

  it("Karpenter's own selector (karpenter.sh/capacity-type: on-demand) agrees with the label", () => {
    const byCapacityType = pools.filter((p) => fits({ nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' } }, p)).map((p) => p.name);
    expect(byCapacityType.sort()).toEqual(pools.filter((p) => fits(pods.onDemand, p)).map((p) => p.name).sort());
  });

  it('every NodePool labels its nodes with exactly what it may launch', () => {
    expect(pools.map((p) => p.name).sort()).toEqual(['batch', 'cpu', 'cpu-od', 'gpu', 'gpu-od', 'heavy', 'heavy-od', 'steady']);
    for (const pool of pools) expect([pool.labels['node-lifecycle']]).toEqual(pool.capacityTypes);
  });
});

describe('asg: spot by default (priority expander), on-demand on request', () => {
  const r = render({ engine: 'asg', defaults: sharedDefaults }, [...specs, mixed]);
  const groupJson = resources(r.clusterJson, 'aws_autoscaling_group');
  const groups = asgTemplates(Object.values(groupJson));
  const [release] = resourceList(r.workloadsJson, 'helm_release');
  const priorities = expanderPriorities(release);
  const isSpot = (g: (typeof groups)[number]) => g.onDemandBase === 0 && g.onDemandPercentage === 0;
  const isOnDemand = (g: (typeof groups)[number]) => g.onDemandPercentage === 100;

  it.each(['plain', 'gpu'])('Cluster Autoscaler scales only spot groups for a %s pod', (pod) => {
    const first = autoscalerFirstChoice(pods[pod], groups, priorities);
    expect(first.length).toBeGreaterThan(0);
    for (const group of first) {
      expect(isSpot(group)).toBe(true);
      expect(group.labels['node-lifecycle']).toBe('spot');
    }
  });

  it.each(['onDemand', 'gpuOnDemand'])('a pod with the on-demand selector (%s) fits only on-demand groups', (pod) => {
    const fitting = groups.filter((g) => fits(pods[pod], g));
    expect(fitting.length).toBeGreaterThan(0);
    for (const group of fitting) expect(isOnDemand(group)).toBe(true);
  });

  it('ranks every spot group above every mixed group, above every on-demand group, above anything else', () => {
    const tiers = (pick: (g: (typeof groups)[number]) => boolean) => groups.filter(pick).map((g) => tierOf(g.name, priorities));
    const spot = tiers(isSpot);
    const onDemand = tiers(isOnDemand);
    const mixedTiers = tiers((g) => !isSpot(g) && !isOnDemand(g));
    expect(mixedTiers).toHaveLength(1);
    expect(Math.min(...spot)).toBeGreaterThan(Math.max(...mixedTiers));
    expect(Math.min(...mixedTiers)).toBeGreaterThan(Math.max(...onDemand));
    expect(Math.min(...onDemand)).toBeGreaterThan(tierOf('demo-system', priorities));
  });

  it('every group labels its nodes truthfully, in the autoscaler template and in kubelet registration; a mixed group not at all', () => {
    const templates = resources(r.clusterJson, 'aws_launch_template');
    for (const [id, g] of Object.entries(groupJson)) {
      const template = groups.find((t) => t.name === g.name)!;
      const ltId = /aws_launch_template\.([^.]+)\.id/.exec(g.mixed_instances_policy.launch_template.launch_template_specification.launch_template_id)![1];
      const expected = isSpot(template) ? 'spot' : isOnDemand(template) ? 'on-demand' : undefined;
      expect([id, template.labels['node-lifecycle']]).toEqual([id, expected]);
      // A custom AMI's user data is the user's own (node-manager labels those nodes from IMDS).
      if (g.name.startsWith('demo-gpu')) continue;
      const registered = kubeletFlag(nodeConfigOf(templates[ltId].user_data), '--node-labels').filter((l) => l.startsWith('node-lifecycle='));
      expect(registered).toEqual(expected ? [`node-lifecycle=${expected}`] : []);
    }
  });

  it('falls back to on-demand within minutes: max-node-provision-time 5m by default, an option', () => {
    expect(expanderPriorities(release)).toBeDefined();
    const values = (rel: any) => require('yaml').parse(rel.values[0]).extraArgs['max-node-provision-time'];
    expect(values(release)).toBe('5m');
    const tuned = render({ engine: 'asg', asg: { maxNodeProvisionTime: '3m' } }, [cpuSpec]);
    expect(values(resourceList(tuned.workloadsJson, 'helm_release')[0])).toBe('3m');
    expect(() => render({ engine: 'asg', asg: { maxNodeProvisionTime: 'soon' } })).toThrow(/^maxNodeProvisionTime: 'soon' is not a duration/);
  });

  it('every group has a termination lifecycle hook (heartbeat 120 s by default, an option)', () => {
    const hooks = resourceList(r.clusterJson, 'aws_autoscaling_lifecycle_hook');
    expect(hooks).toHaveLength(groups.length);
    for (const hook of hooks) {
      expect(hook).toMatchObject({ lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING', heartbeat_timeout: 120, default_result: 'CONTINUE' });
    }
    const hooked = new Set(hooks.map((h) => h.autoscaling_group_name));
    expect(Object.keys(groupJson).every((id) => hooked.has(`\${aws_autoscaling_group.${id}.name}`))).toBe(true);
    const tuned = render({ engine: 'asg', asg: { terminationHookHeartbeatSeconds: 300 } }, [cpuSpec]);
    expect(resourceList(tuned.clusterJson, 'aws_autoscaling_lifecycle_hook').map((h) => h.heartbeat_timeout)).toEqual([300, 300]);
    expect(() => render({ engine: 'asg', asg: { terminationHookHeartbeatSeconds: 10 } }, [cpuSpec])).toThrow(/^terminationHookHeartbeatSeconds: 10 is out of range/);
  });
});
