/** Headroom (placeholder pods), per-spec instance profiles and GPU selection, read from synthesized output. */
import { ManagedNodeGroup } from '../../constructs/capacity/managed/managed-node-group';
import { SpotNodeGroup } from '../../constructs/capacity/engines/asg/spot-node-group';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { checkStack } from '../../policy/rules';
import { cluster, only, synth } from './fixtures';
import { cluster as oceanCluster, cpuSpec, render, resourceList, sharedDefaults } from './ocean-fixtures';
import { asgTemplates, autoscalerFirstChoice, expanderPriorities, fits, karpenterFirstChoice, nodePoolTemplates, type Pod } from './scheduling';

const gpuSpec: LaunchSpec = {
  name: 'gpu',
  labels: { processor: 'gpu' },
  taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
  instanceSelection: { requirements: { gpus: { min: 1, max: 4 }, includeFamilies: ['g5', 'g6'] } },
  headroom: { cpuPerUnit: 2000, memoryPerUnit: 8192, gpuPerUnit: 1, numOfUnits: 1 },
};
const defaults = { ...sharedDefaults, headroom: { cpuPerUnit: 500, memoryPerUnit: 1024, numOfUnits: 3 } };

/** The pod a placeholder Deployment asks the scheduler to place. */
function podOf(deployment: any): Pod {
  const spec = deployment.spec.template.spec;
  return { nodeSelector: spec.node_selector, tolerations: spec.toleration };
}

describe.each(['karpenter', 'asg'] as const)('headroom on the %s engine: low-priority placeholder pods', (engine) => {
  const r = render({ engine, defaults }, [cpuSpec, gpuSpec]);
  const deployments: Record<string, any> = Object.fromEntries(resourceList(r.workloadsJson, 'kubernetes_deployment_v1').map((d) => [d.metadata.name, d]));

  it('a PriorityClass below every real pod and above Cluster Autoscaler’s expendable cutoff (-10), never preempting', () => {
    const [pc] = resourceList(r.workloadsJson, 'kubernetes_priority_class_v1');
    expect(pc.value).toBeLessThan(0);
    expect(pc.value).toBeGreaterThanOrEqual(-10);
    expect(pc).toMatchObject({ preemption_policy: 'Never', global_default: false });
    const [pcId] = Object.keys(r.workloadsJson.resource.kubernetes_priority_class_v1);
    for (const d of Object.values(deployments)) {
      expect(d.spec.template.spec.priority_class_name).toBe(pc.metadata.name);
      expect(d.depends_on).toEqual([`kubernetes_priority_class_v1.${pcId}`]);
    }
  });

  it('one Deployment per headroom: cluster-wide, and the GPU spec’s on its labels and taints', () => {
    expect(Object.keys(deployments).sort()).toEqual(['headroom-cluster', 'headroom-gpu']);
    const cluster = deployments['headroom-cluster'];
    expect(cluster.spec.replicas).toBe('3');
    expect(cluster.spec.template.spec.node_selector).toBeUndefined();
    expect(cluster.spec.template.spec.container[0].resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { cpu: '500m', memory: '1024Mi' } });
    const gpu = deployments['headroom-gpu'];
    expect(gpu.spec.replicas).toBe('1');
    expect(gpu.spec.template.spec.node_selector).toEqual({ processor: 'gpu' });
    expect(gpu.spec.template.spec.toleration).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(gpu.spec.template.spec.container[0].resources.requests).toEqual({ cpu: '2000m', memory: '8192Mi', 'nvidia.com/gpu': '1' });
  });

  it('placeholders hold spot capacity, never system nodes', () => {
    const system = { name: 'demo-system', labels: { 'node-lifecycle': 'on-demand' }, taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] };
    for (const d of Object.values(deployments)) {
      const pod = podOf(d);
      expect(fits(pod, system)).toBe(false);
      const first =
        engine === 'karpenter'
          ? karpenterFirstChoice(pod, nodePoolTemplates(resourceList(r.workloadsJson, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === 'NodePool')))
          : autoscalerFirstChoice(pod, asgTemplates(resourceList(r.clusterJson, 'aws_autoscaling_group')), expanderPriorities(resourceList(r.workloadsJson, 'helm_release')[0]));
      expect(first.length).toBeGreaterThan(0);
      for (const pool of first) expect(pool.labels['node-lifecycle']).toBe('spot');
    }
  });

  it('pause pods run as non-root, read-only, without capabilities or a service account token', () => {
    const spec = deployments['headroom-cluster'].spec.template.spec;
    expect(spec).toMatchObject({ automount_service_account_token: false, security_context: { run_as_non_root: true } });
    expect(spec.container[0].security_context).toEqual({ run_as_non_root: true, run_as_user: '65535', allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it("passes the project's security policy suite", () => {
    expect(checkStack(r.workloadsJson)).toEqual([]);
    expect(checkStack(r.clusterJson)).toEqual([]);
  });
});

describe('headroom: bad input fails at synth naming the field', () => {
  it.each<[string, LaunchSpec, RegExp]>([
    ['no CPU', { name: 'a', headroom: { cpuPerUnit: 0, memoryPerUnit: 512, numOfUnits: 1 } }, /launchSpecs\['a'\]\.headroom\.cpuPerUnit: 0 is not a positive whole number of millicores/],
    ['fractional units', { name: 'a', headroom: { cpuPerUnit: 100, memoryPerUnit: 512, numOfUnits: 1.5 } }, /headroom\.numOfUnits: 1\.5/],
    ['GPUs on a spec that allows none', { name: 'a', instanceSelection: { requirements: { gpus: { max: 0 } } }, headroom: { cpuPerUnit: 100, memoryPerUnit: 512, gpuPerUnit: 1, numOfUnits: 1 } }, /headroom\.gpuPerUnit: asks for 1 GPUs on nodes whose instanceSelection\.requirements\.gpus\.max is 0/],
  ])('%s', (_, spec, error) => {
    expect(() => render({ engine: 'karpenter' }, [spec])).toThrow(error);
  });

  it('a managed node group or a lone SpotNodeGroup cannot keep headroom', () => {
    const headroom = { cpuPerUnit: 100, memoryPerUnit: 128, numOfUnits: 1 };
    expect(() => synth((s) => new ManagedNodeGroup(s, 'm', { cluster, spec: { name: 'sys', instanceSelection: { instanceTypes: ['m7i.large'] }, capacity: { type: 'on-demand' }, headroom } }))).toThrow(
      /^spec\.headroom: not supported by a managed node group/,
    );
    expect(() => synth((s) => new SpotNodeGroup(s, 'g', { cluster, spec: { name: 'a', headroom } }))).toThrow(/^spec\.headroom: a SpotNodeGroup alone renders no placeholder pods/);
  });
});

describe('per-launch-spec instance profile', () => {
  const spec: LaunchSpec = { name: 'data', instanceProfile: 'data-nodes' };

  it('karpenter: the EC2NodeClass names the profile instead of the role, and the controller may pass exactly its role', () => {
    const r = render({ engine: 'karpenter' }, [cpuSpec, spec]);
    const classes = Object.fromEntries(resourceList(r.workloadsJson, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === 'EC2NodeClass').map((m) => [m.metadata.name, m.spec]));
    expect(classes.data.instanceProfile).toBe('data-nodes');
    expect(classes.data.role).toBeUndefined();
    expect(classes.cpu.role).toBe('demo-node');
    const [profile] = Object.entries(r.clusterJson.data.aws_iam_instance_profile) as [string, any][];
    expect(profile[1].name).toBe('data-nodes');
    const pass = resourceList(r.clusterJson, 'aws_iam_role_policy').find((p) => p.name === 'pass-node-role-data');
    expect(pass.policy).toContain(`data.aws_iam_instance_profile.${profile[0]}.role_arn`);
    expect(pass.policy).toMatch(/^\$\{jsonencode\(/);
    expect(pass.policy).toContain('iam:PassedToService');
  });

  it('asg: the launch template boots with the named profile', () => {
    const r = render({ engine: 'asg' }, [cpuSpec, spec]);
    const templates = resourceList(r.clusterJson, 'aws_launch_template');
    expect(templates.filter((t) => t.name.startsWith('demo-data')).map((t) => t.iam_instance_profile)).toEqual([{ name: 'data-nodes' }, { name: 'data-nodes' }]);
    expect(templates.find((t) => t.name === 'demo-cpu').iam_instance_profile).toEqual({ arn: oceanCluster.nodeRole.instanceProfileArn });
  });

  it('an ARN instead of a name, or a managed node group, fails naming the field', () => {
    expect(() => render({ engine: 'asg' }, [{ name: 'a', instanceProfile: 'arn:aws:iam::123456789012:instance-profile/x' }])).toThrow(/launchSpecs\['a'\]\.instanceProfile: .* is not an instance profile name/);
    expect(() => synth((s) => new ManagedNodeGroup(s, 'm', { cluster, spec: { name: 'sys', instanceSelection: { instanceTypes: ['m7i.large'] }, capacity: { type: 'on-demand' }, instanceProfile: 'x' } }))).toThrow(
      /^spec\.instanceProfile: not supported by a managed node group/,
    );
  });
});

describe('GPUs', () => {
  const requirementsOf = (spec: LaunchSpec) => only(synth((s) => new SpotNodeGroup(s, 'g', { cluster, spec })), 'aws_autoscaling_group').mixed_instances_policy.launch_template.override[0].instance_requirements;

  it('asg: gpus {max: 0} asks for no accelerators, and names no accelerator type or manufacturer', () => {
    const r = requirementsOf({ name: 'cpu', instanceSelection: { requirements: { vcpu: { min: 2 }, gpus: { max: 0 } } } });
    expect(r.accelerator_count).toEqual({ max: 0 });
    expect(r.accelerator_types).toBeUndefined();
    expect(r.accelerator_manufacturers).toBeUndefined();
  });

  it('asg: GPUs wanted narrow to NVIDIA GPUs', () => {
    const r = requirementsOf({ name: 'gpu', instanceSelection: { requirements: { gpus: { min: 1 } } } });
    expect(r).toMatchObject({ accelerator_count: { min: 1 }, accelerator_types: ['gpu'], accelerator_manufacturers: ['nvidia'] });
  });

  it('GPUs asked with max 0 fail at synth naming gpus.max', () => {
    expect(() => render({ engine: 'asg' }, [{ name: 'a', instanceSelection: { requirements: { gpus: { min: 2, max: 0 } } } }])).toThrow(
      /launchSpecs\['a'\]\.instanceSelection\.requirements\.gpus\.max: 0 allows no GPUs while gpus\.min asks for 2/,
    );
  });
});

describe('a managed node group refuses what it cannot take, naming the field', () => {
  const base: LaunchSpec = { name: 'sys', instanceSelection: { instanceTypes: ['m7i.large'] }, capacity: { type: 'on-demand' } };
  it.each<[string, Partial<LaunchSpec>, RegExp]>([
    ['attribute selection', { instanceSelection: { requirements: { vcpu: { min: 2 } } } }, /^spec\.instanceSelection: not supported by a managed node group/],
    ['spot with fallback', { capacity: { type: 'spot-with-fallback' } }, /^spec\.capacity: not supported by a managed node group/],
    ['a custom AMI', { amiFamily: { kind: 'custom', amiId: 'ami-0123456789abcdef0' } }, /^spec\.amiFamily: not supported by a managed node group/],
    ['kubelet settings', { kubelet: { maxPods: 20 } }, /^spec\.kubelet: not supported by a managed node group/],
    ['a karpenter knob', { weight: 3 }, /^spec\.weight: not supported by a managed node group/],
  ])('%s', (_, fields, error) => {
    expect(() => synth((s) => new ManagedNodeGroup(s, 'm', { cluster, spec: { ...base, ...fields } }))).toThrow(error);
  });

  it('spot capacity renders SPOT, labelled spot; an arm64 Bottlerocket group picks its AMI type', () => {
    const out = synth((s) => new ManagedNodeGroup(s, 'm', { cluster, spec: { ...base, capacity: { type: 'spot' }, architecture: 'arm64', amiFamily: { kind: 'bottlerocket' }, instanceSelection: { instanceTypes: ['m7g.large'] } } }));
    expect(only(out, 'aws_eks_node_group')).toMatchObject({ capacity_type: 'SPOT', ami_type: 'BOTTLEROCKET_ARM_64', labels: { 'node-lifecycle': 'spot' } });
  });
});
