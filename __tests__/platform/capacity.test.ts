import { parse } from 'yaml';
import { asgTemplates, autoscalerFirstChoice, expanderPriorities, fits, karpenterFirstChoice, nodePoolTemplates, tierOf } from '../capacity/scheduling';
import { resources, synthPlatform } from '../support/synth';

const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };
const systemTaint = { key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' };
const tolerateSystem = { tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' as const }] };

describe('the platform capacity (main.ts): a CPU and a GPU launch spec, by the configured engine', () => {
  it('karpenter: a spot NodePool and an on-demand twin per spec, the GPU ones labelled and tainted', () => {
    const { workloads } = synthPlatform({ capacityEngine: 'karpenter' });
    const pools = resources(workloads, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === 'NodePool');
    const gpu = pools.filter((p) => p.spec.template.metadata.labels.processor === 'gpu');
    expect(pools.map((p) => p.metadata.name).sort()).toEqual(['general', 'general-od', 'gpu', 'gpu-od']);
    for (const pool of gpu) expect(pool.spec.template.spec.taints).toContainEqual(gpuTaint);
    const capacityTypes = (p: any) => p.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type').values;
    expect(gpu.map((p) => [p.metadata.name, capacityTypes(p), p.spec.template.metadata.labels['node-lifecycle']]).sort()).toEqual([
      ['gpu', ['spot'], 'spot'],
      ['gpu-od', ['on-demand'], 'on-demand'],
    ]);
  });

  it('asg: spot and on-demand groups per spec, labels and taints in the autoscaler node-template tags', () => {
    const { cluster } = synthPlatform({ capacityEngine: 'asg' });
    const tags = resources(cluster, 'aws_autoscaling_group').map((g) => Object.fromEntries(g.tag.map((t: any) => [t.key, t.value])));
    const gpu = tags.filter((t) => t['k8s.io/cluster-autoscaler/node-template/label/processor'] === 'gpu');
    expect(gpu.map((t) => t['k8s.io/cluster-autoscaler/node-template/label/node-lifecycle']).sort()).toEqual(['on-demand', 'spot']);
    expect(gpu[0]['k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu']).toBe('true:NoSchedule');
  });

  it('spotinst: a spot launch spec and its on-demand twin per spec on a template-only Ocean', () => {
    const { cluster } = synthPlatform({ capacityEngine: 'spotinst', spotinstAccount: 'act-12345678' });
    const specs = resources(cluster, 'spotinst_ocean_aws_launch_spec');
    const gpu = specs.filter((s) => s.labels.some((l: any) => l.key === 'processor' && l.value === 'gpu'));
    expect(specs.map((s) => s.name).sort()).toEqual(['general', 'general-od', 'gpu', 'gpu-od']);
    expect(gpu.map((s) => s.labels.find((l: any) => l.key === 'node-lifecycle').value).sort()).toEqual(['on-demand', 'spot']);
    for (const s of gpu) expect(s.taints).toContainEqual(gpuTaint);
  });

  it('always adds a small on-demand system group for CoreDNS and the capacity controllers', () => {
    for (const engine of ['karpenter', 'asg'] as const) {
      const system = resources(synthPlatform({ capacityEngine: engine }).cluster, 'aws_autoscaling_group').find((g) => String(g.name).endsWith('system'));
      expect(system).toMatchObject({ min_size: 2, max_size: 3 });
      expect(system!.mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity).toBe(100);
    }
  });
});

describe('the system nodes: tainted CriticalAddonsOnly, tolerated by every controller', () => {
  const asg = synthPlatform({ capacityEngine: 'asg' });
  const groups = asgTemplates(resources(asg.cluster, 'aws_autoscaling_group'));
  const system = groups.find((g) => g.name.endsWith('-system'))!;
  const release = (workloads: any, chart: string) => resources(workloads, 'helm_release').find((r) => r.chart === chart)!;

  it('are tainted CriticalAddonsOnly=true:NoSchedule and labelled on-demand', () => {
    expect(system.taints).toEqual([systemTaint]);
    expect(system.labels).toMatchObject({ 'node-role': 'system', 'node-lifecycle': 'on-demand' });
  });

  it('keep workloads off: a pod without the toleration fits no system node, not even asking for on-demand', () => {
    expect(fits({}, system)).toBe(false);
    expect(fits({ nodeSelector: { 'node-lifecycle': 'on-demand' } }, system)).toBe(false);
    expect(fits(tolerateSystem, system)).toBe(true);
  });

  it('rank last in the priority expander, below every on-demand twin', () => {
    const priorities = expanderPriorities(release(asg.workloads, 'cluster-autoscaler'));
    const others = groups.filter((g) => g !== system).map((g) => tierOf(g.name, priorities));
    expect(tierOf(system.name, priorities)).toBeLessThan(Math.min(...others));
    // Even a controller that tolerates the taint gets a spot worker first, when it asks for nothing else.
    for (const g of autoscalerFirstChoice(tolerateSystem, groups, priorities)) expect(g.labels['node-lifecycle']).toBe('spot');
  });

  it('Cluster Autoscaler tolerates the taint', () => {
    expect(parse(release(asg.workloads, 'cluster-autoscaler').values[0]).tolerations).toContainEqual({ key: 'CriticalAddonsOnly', operator: 'Exists' });
  });

  it('the Ocean controller tolerates the taint, so it starts on the system nodes', () => {
    const spot = synthPlatform({ capacityEngine: 'spotinst', spotinstAccount: 'act-12345678' });
    const { tolerations } = parse(release(spot.workloads, 'ocean-kubernetes-controller').values[0]);
    expect(tolerations).toContainEqual({ key: 'CriticalAddonsOnly', operator: 'Exists' });
    const spotSystem = asgTemplates(resources(spot.cluster, 'aws_autoscaling_group')).find((g) => g.name.endsWith('-system'))!;
    expect(spotSystem.taints).toEqual([systemTaint]);
    expect(fits({ tolerations }, spotSystem)).toBe(true);
  });

  it('Karpenter tolerates the taint, and the NodePools it manages never carry it', () => {
    const { workloads } = synthPlatform({ capacityEngine: 'karpenter' });
    expect(parse(release(workloads, 'karpenter').values[0]).tolerations).toContainEqual({ key: 'CriticalAddonsOnly', operator: 'Exists' });
    const pools = nodePoolTemplates(resources(workloads, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === 'NodePool'));
    for (const pool of pools) expect(pool.taints.some((t) => t.key === 'CriticalAddonsOnly')).toBe(false);
    expect(karpenterFirstChoice({}, pools).every((p) => p.capacityTypes.join() === 'spot')).toBe(true);
  });

  it('CoreDNS keeps its CriticalAddonsOnly toleration: EKS default, or listed when tolerations are configured', () => {
    const coredns = resources(asg.cluster, 'aws_eks_addon').find((a) => a.addon_name === 'coredns')!;
    const configured = coredns.configuration_values ? JSON.parse(coredns.configuration_values).tolerations : undefined;
    // The EKS add-on's default tolerations include CriticalAddonsOnly (Exists); a configured list replaces them and must keep it.
    for (const tolerations of configured === undefined ? [] : [configured]) {
      expect(tolerations).toContainEqual(expect.objectContaining({ key: 'CriticalAddonsOnly', operator: 'Exists' }));
    }
  });

  it('node-manager tolerates every taint', () => {
    const [ds] = resources(asg.workloads, 'kubernetes_daemon_set_v1');
    expect(ds.spec.template.spec.toleration).toContainEqual(expect.objectContaining({ operator: 'Exists' }));
    expect(ds.spec.template.spec.toleration.some((t: any) => t.operator === 'Exists' && t.key === undefined)).toBe(true);
  });

  it('systemNodesTaint: false leaves them untainted', () => {
    const { cluster } = synthPlatform({ capacityEngine: 'asg', systemNodesTaint: false });
    const untainted = asgTemplates(resources(cluster, 'aws_autoscaling_group')).find((g) => g.name.endsWith('-system'))!;
    expect(untainted.taints).toEqual([]);
  });

  it("systemNodeGroup: 'managed' makes them an EKS managed node group, tainted, on-demand, IMDSv2 with hop limit 1", () => {
    const { cluster } = synthPlatform({ capacityEngine: 'karpenter', systemNodeGroup: 'managed' });
    expect(resources(cluster, 'aws_autoscaling_group').filter((g) => String(g.name).endsWith('system'))).toEqual([]);
    const [group] = resources(cluster, 'aws_eks_node_group');
    expect(group).toMatchObject({
      node_group_name: 'spot-ready-system',
      capacity_type: 'ON_DEMAND',
      ami_type: 'AL2023_x86_64_STANDARD',
      instance_types: ['m7i.large', 'm6i.large', 'm5.large'],
      labels: { 'node-role': 'system', 'node-lifecycle': 'on-demand' },
      taint: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }],
      scaling_config: { min_size: 2, max_size: 3, desired_size: 2 },
    });
    const template = resources(cluster, 'aws_launch_template').find((t) => String(t.name).endsWith('system-managed'))!;
    expect(template.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1 });
    expect(template.image_id).toBeUndefined();
    expect(template.iam_instance_profile).toBeUndefined();
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
  });
});
