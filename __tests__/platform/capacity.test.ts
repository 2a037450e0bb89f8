import { resources, synthPlatform } from '../support/synth';

const gpuTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };

describe('the platform capacity (main.ts): a CPU and a GPU launch spec, by the configured engine', () => {
  it('karpenter: a NodePool per spec, the GPU one labelled and tainted, spot AND on-demand allowed', () => {
    const { workloads } = synthPlatform({ capacityEngine: 'karpenter' });
    const pools = resources(workloads, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === 'NodePool');
    const gpu = pools.find((p) => p.spec.template.metadata.labels.processor === 'gpu');
    expect(pools.map((p) => p.spec.template.metadata.labels.processor).sort()).toEqual(['cpu', 'gpu']);
    expect(gpu.spec.template.spec.taints).toContainEqual(gpuTaint);
    const capacityType = gpu.spec.template.spec.requirements.find((r: any) => r.key === 'karpenter.sh/capacity-type');
    expect(capacityType.values.sort()).toEqual(['on-demand', 'spot']);
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
