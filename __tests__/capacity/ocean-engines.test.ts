/**
 * The SAME defaults and launch specs through all three engines: each must carry the same labels,
 * taints and instance constraints, and offer pods an on-demand path, in its own terms.
 */
import type { OceanEngineName } from '../../constructs/capacity/ocean-engine';
import { cpuSpec, gpuSpec, karpenterSchemaErrors, render, resourceList, sharedDefaults, type Rendered } from './ocean-fixtures';

interface View {
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: string }[];
  /** Explicit instance types, or the vCPU range. */
  instanceTypes?: string[];
  vcpu?: { min?: number; max?: number };
  /** Whether the spec's nodes may be on-demand, reached by the engine's on-demand selector. */
  onDemandReachable: boolean;
}

const byName = (items: any[], name: (i: any) => string) => Object.fromEntries(items.map((i) => [name(i), i]));

function karpenterViews(r: Rendered): Record<string, View> {
  const pools = resourceList(r.workloadsJson, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === 'NodePool');
  const byPool = byName(pools, (p) => p.metadata.name);
  const [[selKey, selValue]] = Object.entries(r.ocean.onDemandNodeSelector);
  return Object.fromEntries(
    pools
      .filter((p) => !p.metadata.name.endsWith('-od'))
      .map((p) => {
        const req = (pool: any, key: string, op: string) => pool.spec.template.spec.requirements.find((x: any) => x.key === key && x.operator === op)?.values;
        const cpuGt = req(p, 'karpenter.k8s.aws/instance-cpu', 'Gt');
        const cpuLt = req(p, 'karpenter.k8s.aws/instance-cpu', 'Lt');
        // The on-demand path: a twin pool carrying the selector's label that launches only on-demand.
        const twin = byPool[`${p.metadata.name}-od`];
        return [
          p.metadata.name,
          {
            labels: p.spec.template.metadata.labels,
            taints: (p.spec.template.spec.taints ?? []).map((t: any) => ({ value: '', ...t })),
            instanceTypes: req(p, 'node.kubernetes.io/instance-type', 'In'),
            vcpu: cpuGt ? { min: Number(cpuGt[0]) + 1, max: Number(cpuLt[0]) - 1 } : undefined,
            onDemandReachable:
              twin !== undefined && twin.spec.template.metadata.labels[selKey] === selValue && String(req(twin, 'karpenter.sh/capacity-type', 'In')) === 'on-demand',
          },
        ];
      }),
  );
}

function spotinstViews(r: Rendered): Record<string, View> {
  const [ocean] = resourceList(r.clusterJson, 'spotinst_ocean_aws');
  const specs = resourceList(r.clusterJson, 'spotinst_ocean_aws_launch_spec');
  const onDemandTwin = (s: any) => specs.find((t) => t.name === `${s.name}-od`);
  return Object.fromEntries(
    specs.filter((s) => !s.name.endsWith('-od')).map((s) => {
      // A launch spec without its own selection inherits the Ocean's filters.
      const filters = (s.instance_types_filters ?? ocean.filters)?.[0];
      return [
        s.name,
        {
          labels: Object.fromEntries(s.labels.map((l: any) => [l.key, l.value])),
          taints: s.taints ?? [],
          instanceTypes: s.instance_types,
          vcpu: s.instance_types ? undefined : { min: filters.min_vcpu, max: filters.max_vcpu },
          // The spec's on-demand twin (spot_percentage 0) is what the on-demand selector reaches.
          onDemandReachable: r.ocean.onDemandNodeSelector['node-lifecycle'] === 'on-demand' && onDemandTwin(s)?.strategy[0].spot_percentage === 0,
        },
      ];
    }),
  );
}

function asgViews(r: Rendered): Record<string, View> {
  const groups = byName(resourceList(r.clusterJson, 'aws_autoscaling_group'), (g) => g.name.replace(/^demo-/, ''));
  const tagValues = (g: any, prefix: string) =>
    Object.fromEntries(g.tag.filter((t: any) => t.key.startsWith(prefix)).map((t: any) => [t.key.slice(prefix.length), t.value]));
  return Object.fromEntries(
    Object.entries(groups)
      .filter(([name]) => !name.endsWith('-od'))
      .map(([name, g]) => {
        const override = g.mixed_instances_policy.launch_template.override;
        const reqs = override[0].instance_requirements;
        const taints = Object.entries(tagValues(g, 'k8s.io/cluster-autoscaler/node-template/taint/')).map(([key, v]) => {
          const [value, effect] = String(v).split(':');
          return { key, value, effect };
        });
        const od = groups[`${name}-od`];
        return [
          name,
          {
            labels: tagValues(g, 'k8s.io/cluster-autoscaler/node-template/label/'),
            taints,
            instanceTypes: reqs ? undefined : override.map((o: any) => o.instance_type),
            vcpu: reqs ? { min: reqs.vcpu_count.min, max: reqs.vcpu_count.max } : undefined,
            onDemandReachable:
              od !== undefined &&
              tagValues(od, 'k8s.io/cluster-autoscaler/node-template/label/')[Object.keys(r.ocean.onDemandNodeSelector)[0]] === 'on-demand' &&
              od.mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity === 100,
          },
        ];
      }),
  );
}

const viewers: Record<OceanEngineName, (r: Rendered) => Record<string, View>> = { karpenter: karpenterViews, spotinst: spotinstViews, asg: asgViews };
const rendered = Object.fromEntries((['karpenter', 'spotinst', 'asg'] as const).map((e) => [e, render({ engine: e, defaults: sharedDefaults }, [cpuSpec, gpuSpec])]));

describe.each(['karpenter', 'spotinst', 'asg'] as const)('engine %s renders the shared launch specs', (engine) => {
  const views = viewers[engine](rendered[engine]);

  it('renders exactly the two launch specs', () => {
    expect(Object.keys(views).sort()).toEqual(['cpu', 'gpu']);
  });

  it('the CPU spec: its labels + lifecycle, no taints, 2–16 vCPUs from the defaults, an on-demand path', () => {
    expect(views.cpu).toEqual({ labels: { workload: 'general', 'node-lifecycle': 'spot' }, taints: [], instanceTypes: undefined, vcpu: { min: 2, max: 16 }, onDemandReachable: true });
  });

  it('the GPU spec: processor=gpu, the nvidia.com/gpu NoSchedule taint, exactly its two types, an on-demand path', () => {
    expect(views.gpu).toEqual({
      labels: { processor: 'gpu', 'node-lifecycle': 'spot' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      instanceTypes: ['g5.xlarge', 'g5.2xlarge'],
      vcpu: undefined,
      onDemandReachable: true,
    });
  });
});

it('every engine names the one on-demand node selector', () => {
  expect(rendered.karpenter.ocean.onDemandNodeSelector).toEqual({ 'node-lifecycle': 'on-demand' });
  expect(rendered.spotinst.ocean.onDemandNodeSelector).toEqual({ 'node-lifecycle': 'on-demand' });
  expect(rendered.asg.ocean.onDemandNodeSelector).toEqual({ 'node-lifecycle': 'on-demand' });
});

it('the GPU spec boots its own AMI in every engine', () => {
  const nodeClass = resourceList(rendered.karpenter.workloadsJson, 'kubernetes_manifest').find((m) => m.manifest.kind === 'EC2NodeClass' && m.manifest.metadata.name === 'gpu');
  expect(nodeClass.manifest.spec.amiSelectorTerms).toEqual([{ id: 'ami-0123456789abcdef0' }]);
  expect(resourceList(rendered.spotinst.clusterJson, 'spotinst_ocean_aws_launch_spec').find((s) => s.name === 'gpu').image_id).toBe('ami-0123456789abcdef0');
  const templates = resourceList(rendered.asg.clusterJson, 'aws_launch_template').filter((t) => t.name.startsWith('demo-gpu'));
  expect(templates.map((t) => t.image_id)).toEqual(['ami-0123456789abcdef0', 'ami-0123456789abcdef0']);
});

it("the Karpenter manifests of the shared specs pass Karpenter's CRD schemas", () => {
  const manifests = resourceList(rendered.karpenter.workloadsJson, 'kubernetes_manifest').map((m) => m.manifest);
  expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(['EC2NodeClass/cpu', 'EC2NodeClass/gpu', 'NodePool/cpu', 'NodePool/cpu-od', 'NodePool/gpu', 'NodePool/gpu-od']);
  expect(karpenterSchemaErrors(manifests)).toEqual([]);
});

describe('fields an engine cannot express fail at synth, naming the field and the engine', () => {
  it('asg: startupTaints', () => {
    expect(() => render({ engine: 'asg' }, [{ name: 'cni', startupTaints: [{ key: 'node.cilium.io/agent-not-ready', effect: 'NoExecute' }] }])).toThrow(
      /launchSpecs\['cni'\]\.startupTaints: not supported by the 'asg' engine/,
    );
  });
  it('asg: cluster-wide limits', () => {
    expect(() => render({ engine: 'asg', defaults: { limits: { maxVcpu: 100 } } })).toThrow(/defaults\.limits: not supported by the 'asg' engine/);
  });
  it('asg: another node role', () => {
    const nodeRole = { roleArn: 'arn:aws:iam::123456789012:role/x', roleName: 'x', instanceProfileName: 'x', instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/x' };
    expect(() => render({ engine: 'asg', defaults: { nodeRole } })).toThrow(/defaults\.nodeRole: not supported by the 'asg' engine/);
  });
  it('karpenter and spotinst accept startup taints', () => {
    const spec = { name: 'cni', startupTaints: [{ key: 'node.cilium.io/agent-not-ready', value: 'true', effect: 'NoExecute' as const }] };
    const k = render({ engine: 'karpenter' }, [spec]);
    const pool = resourceList(k.workloadsJson, 'kubernetes_manifest').find((m) => m.manifest.kind === 'NodePool').manifest;
    expect(pool.spec.template.spec.startupTaints).toEqual([{ key: 'node.cilium.io/agent-not-ready', value: 'true', effect: 'NoExecute' }]);
    const s = render({ engine: 'spotinst' }, [spec]);
    expect(resourceList(s.clusterJson, 'spotinst_ocean_aws_launch_spec')[0].startup_taints).toEqual([{ key: 'node.cilium.io/agent-not-ready', value: 'true', effect: 'NoExecute' }]);
  });
});

describe('the Ocean API', () => {
  it('rejects an unknown engine and a duplicate launch spec name', () => {
    expect(() => render({ engine: 'fargate' as OceanEngineName })).toThrow(/engine: 'fargate' is not an engine/);
    expect(() => render({ engine: 'karpenter' }, [cpuSpec, cpuSpec])).toThrow(/launchSpecs\['cpu'\]\.name: 'cpu' is already a launch spec/);
  });
  it('validates the defaults like a launch spec, naming the defaults field', () => {
    expect(() => render({ engine: 'karpenter', defaults: { subnetIds: ['vpc-1'] } })).toThrow(/defaults\.subnetIds\[0\]/);
  });
  it('validates each launch spec with its path', () => {
    expect(() => render({ engine: 'karpenter' }, [{ name: 'Bad_Name' }])).toThrow(/launchSpecs\['Bad_Name'\]\.name/);
  });
  it('returns and lists the resolved specs', () => {
    const { ocean } = render({ engine: 'karpenter', defaults: sharedDefaults }, [cpuSpec]);
    expect(ocean.launchSpecs.map((s) => [s.name, s.instanceSelection])).toEqual([['cpu', sharedDefaults.instanceSelection]]);
  });
});
