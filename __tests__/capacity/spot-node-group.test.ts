import { SpotNodeGroup, type SpotNodeGroupProps } from '../../constructs/capacity/engines/asg/spot-node-group';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { kubeletFlag, nodeConfigOf } from './decode';
import { cluster, only, synth, type SynthOutput } from './fixtures';

function group(spec: LaunchSpec, props: Partial<SpotNodeGroupProps> = {}): SynthOutput {
  return synth((scope) => new SpotNodeGroup(scope, 'group', { cluster, spec, ...props }));
}
const asgOf = (out: SynthOutput) => only(out, 'aws_autoscaling_group');
const launchTemplateOf = (out: SynthOutput) => only(out, 'aws_launch_template');
const overridesOf = (out: SynthOutput) => asgOf(out).mixed_instances_policy.launch_template.override as Record<string, any>[];
const tagsOf = (out: SynthOutput) =>
  Object.fromEntries((asgOf(out).tag as { key: string; value: string }[]).map((t) => [t.key, t.value]));

describe('SpotNodeGroup launch template', () => {
  it('requires IMDSv2 with hop limit 1 and keeps tags out of IMDS', () => {
    expect(launchTemplateOf(group({ name: 'general' })).metadata_options).toEqual({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
      instance_metadata_tags: 'disabled',
    });
    expect(launchTemplateOf(group({ name: 'general' }, { imdsHopLimit: 2 })).metadata_options.http_put_response_hop_limit).toBe(2);
  });

  it('rejects a hop limit out of range', () => {
    expect(() => group({ name: 'general' }, { imdsHopLimit: 0 })).toThrow(/imdsHopLimit.*Fix/);
  });

  it('boots encrypted gp3 volumes, with the nodes joining as the cluster node role', () => {
    const lt = launchTemplateOf(group({ name: 'general', rootVolume: { sizeGiB: 80, kmsKeyId: 'alias/nodes' } }));
    expect(lt.block_device_mappings).toEqual([
      { device_name: '/dev/xvda', ebs: { volume_size: 80, volume_type: 'gp3', encrypted: 'true', kms_key_id: 'alias/nodes', delete_on_termination: 'true' } },
    ]);
    expect(lt.iam_instance_profile).toEqual({ arn: cluster.nodeRole.instanceProfileArn });
    expect(lt.vpc_security_group_ids).toEqual([cluster.clusterSecurityGroupId]);
  });

  it('encrypts both Bottlerocket volumes and sizes the data volume', () => {
    const lt = launchTemplateOf(group({ name: 'br', amiFamily: { kind: 'bottlerocket' }, rootVolume: { sizeGiB: 60 } }));
    expect(lt.block_device_mappings.map((m: any) => [m.device_name, m.ebs.volume_size, m.ebs.encrypted])).toEqual([
      ['/dev/xvda', 4, 'true'],
      ['/dev/xvdb', 60, 'true'],
    ]);
  });

  it('tags instances and volumes with Name, the cluster tag and the spec tags', () => {
    const lt = launchTemplateOf(group({ name: 'general', tags: { team: 'data' }, securityGroupIds: ['sg-0aaa1111'] }));
    const expected = { Name: 'demo-general', 'kubernetes.io/cluster/demo': 'owned', team: 'data' };
    expect(lt.tag_specifications).toEqual([
      { resource_type: 'instance', tags: expected },
      { resource_type: 'volume', tags: expected },
    ]);
    expect(lt.vpc_security_group_ids).toEqual(['sg-0aaa1111']);
  });

  it('boots nodes labelled with their lifecycle, spot by default and on-demand for on-demand capacity', () => {
    const spot = nodeConfigOf(launchTemplateOf(group({ name: 'a', labels: { team: 'x' } })).user_data);
    expect(kubeletFlag(spot, '--node-labels')).toEqual(['team=x', 'node-lifecycle=spot']);
    const onDemand = nodeConfigOf(launchTemplateOf(group({ name: 'a', capacity: { type: 'on-demand' } })).user_data);
    expect(kubeletFlag(onDemand, '--node-labels')).toEqual(['node-lifecycle=on-demand']);
    // A label that contradicts the capacity would lie: refused.
    expect(() => group({ name: 'a' }, { lifecycle: 'on-demand' })).toThrow(/^lifecycle: 'on-demand' would label nodes .* launches as spot\. Fix: omit lifecycle/);
  });

  it('validates the spec, naming the path it was given', () => {
    expect(() => group({ name: 'a', minSize: 3, maxSize: 2 }, { path: 'pools[1]' })).toThrow(/pools\[1\]\.minSize/);
  });
});

describe('SpotNodeGroup Auto Scaling group', () => {
  it('spreads over the cluster subnets, rebalances spot capacity and leaves desired size to Cluster Autoscaler', () => {
    const out = group({ name: 'general', minSize: 1, maxSize: 7 });
    const asg = asgOf(out);
    expect(asg).toMatchObject({ name: 'demo-general', min_size: 1, max_size: 7, desired_capacity: 1, capacity_rebalance: true });
    expect(asg.vpc_zone_identifier).toEqual(cluster.privateSubnetIds);
    expect(asg.lifecycle).toEqual({ ignore_changes: ['desired_capacity'] });
    const [lt] = Object.keys(out.resource.aws_launch_template);
    expect(asg.mixed_instances_policy.launch_template.launch_template_specification).toEqual({
      launch_template_id: `\${aws_launch_template.${lt}.id}`,
      version: `\${aws_launch_template.${lt}.latest_version}`,
    });
  });

  it('lists explicit instance types as overrides', () => {
    const out = group({ name: 'general', instanceSelection: { instanceTypes: ['m7i.large', 'm6i.large', 'm7a.large'] } });
    expect(overridesOf(out)).toEqual([{ instance_type: 'm7i.large' }, { instance_type: 'm6i.large' }, { instance_type: 'm7a.large' }]);
  });

  it('rejects more instance types than an ASG takes', () => {
    const types = Array.from({ length: 41 }, (_, i) => `m${i}.large`);
    expect(() => group({ name: 'x', instanceSelection: { instanceTypes: types } })).toThrow(/instanceTypes: 41 types.*at most 40/);
  });

  it('turns requirements into attribute-based selection', () => {
    const out = group({
      name: 'general',
      architecture: 'arm64',
      instanceSelection: { requirements: { vcpu: { min: 4, max: 16 }, memoryMiB: { min: 8192, max: 65536 }, includeFamilies: ['m7g', 'c7g'], excludeFamilies: ['m6g'] } },
    });
    expect(overridesOf(out)).toEqual([
      {
        instance_requirements: {
          vcpu_count: { min: 4, max: 16 },
          memory_mib: { min: 8192, max: 65536 },
          accelerator_count: { max: 0 },
          cpu_manufacturers: ['amazon-web-services'],
          instance_generations: ['current'],
          bare_metal: 'excluded',
          burstable_performance: 'excluded',
          allowed_instance_types: ['m7g.*', 'c7g.*'],
        },
      },
    ]);
  });

  it('selects current-generation x86 types with ≥ 2 vCPUs and no GPUs when nothing is chosen', () => {
    const [override] = overridesOf(group({ name: 'general' }));
    expect(override.instance_requirements).toMatchObject({
      vcpu_count: { min: 2 },
      memory_mib: { min: 0 },
      accelerator_count: { max: 0 },
      cpu_manufacturers: ['intel', 'amd'],
      instance_generations: ['current'],
    });
    expect(override.instance_requirements.allowed_instance_types).toBeUndefined();
  });

  it('maps categories to generation patterns, GPUs to NVIDIA accelerators, and honours bare metal', () => {
    const [override] = overridesOf(
      group({ name: 'gpu', instanceSelection: { requirements: { categories: ['g'], gpus: { min: 1, max: 4 }, excludeBareMetal: false } } }),
    );
    const r = override.instance_requirements;
    expect(r.accelerator_count).toEqual({ min: 1, max: 4 });
    expect(r.accelerator_types).toEqual(['gpu']);
    expect(r.accelerator_manufacturers).toEqual(['nvidia']);
    expect(r.bare_metal).toBe('included');
    expect(r.allowed_instance_types).toContain('g5*');
    expect(r.allowed_instance_types).not.toContain('g*');
  });

  it('excludes families by pattern, and includes burstable types only when a t family is allowed', () => {
    const [excluding] = overridesOf(group({ name: 'a', instanceSelection: { requirements: { excludeFamilies: ['t3', 'm5'] } } }));
    expect(excluding.instance_requirements.excluded_instance_types).toEqual(['t3.*', 'm5.*']);
    const [burstable] = overridesOf(group({ name: 'a', instanceSelection: { requirements: { includeFamilies: ['t4g'] } }, architecture: 'arm64' }));
    expect(burstable.instance_requirements.burstable_performance).toBe('included');
  });

  it('explains selections EC2 cannot express', () => {
    expect(() => group({ name: 'a', instanceSelection: { requirements: { categories: ['m'], excludeFamilies: ['m5'] } } })).toThrow(
      /excludeFamilies.*list includeFamilies instead/,
    );
    expect(() => group({ name: 'a', instanceSelection: { requirements: { categories: ['c'], includeFamilies: ['m7i'] } } })).toThrow(
      /includeFamilies: no family is of the listed categories/,
    );
  });

  it.each<[string, LaunchSpec['capacity'], number, number]>([
    ['spot', { type: 'spot' }, 0, 0],
    ['on-demand', { type: 'on-demand' }, 0, 100],
    ['spot with fallback', { type: 'spot-with-fallback', onDemandBase: 2, onDemandPercentageAboveBase: 20 }, 2, 20],
  ])('distributes %s capacity with price-capacity-optimized spot', (_what, capacity, base, percentage) => {
    expect(asgOf(group({ name: 'a', capacity })).mixed_instances_policy.instances_distribution).toEqual({
      on_demand_base_capacity: base,
      on_demand_percentage_above_base_capacity: percentage,
      on_demand_allocation_strategy: 'lowest-price',
      spot_allocation_strategy: 'price-capacity-optimized',
    });
  });

  it('allows prioritized on-demand only with an ordered type list', () => {
    const out = group({ name: 'a', instanceSelection: { instanceTypes: ['m7i.large'] } }, { onDemandAllocationStrategy: 'prioritized' });
    expect(asgOf(out).mixed_instances_policy.instances_distribution.on_demand_allocation_strategy).toBe('prioritized');
    expect(() => group({ name: 'a' }, { onDemandAllocationStrategy: 'prioritized' })).toThrow(/prioritized.*instanceTypes/);
  });
});

describe('SpotNodeGroup Cluster Autoscaler tags', () => {
  const spec: LaunchSpec = {
    name: 'batch',
    labels: { 'example.com/team': 'data' },
    taints: [{ key: 'example.com/dedicated', value: 'batch', effect: 'NoSchedule' }, { key: 'spot', effect: 'PreferNoSchedule' }],
    startupTaints: [{ key: 'node.example.com/not-ready', effect: 'NoExecute' }],
  };

  it('lets Cluster Autoscaler discover the group and scale it from zero', () => {
    expect(tagsOf(group(spec))).toEqual({
      'kubernetes.io/cluster/demo': 'owned',
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/demo': 'owned',
      'k8s.io/cluster-autoscaler/node-template/label/example.com/team': 'data',
      'k8s.io/cluster-autoscaler/node-template/label/node-lifecycle': 'spot',
      'k8s.io/cluster-autoscaler/node-template/taint/example.com/dedicated': 'batch:NoSchedule',
      'k8s.io/cluster-autoscaler/node-template/taint/spot': ':PreferNoSchedule',
    });
  });

  it('does not propagate group tags to instances', () => {
    expect((asgOf(group(spec)).tag as { propagate_at_launch: boolean }[]).every((t) => t.propagate_at_launch === false)).toBe(true);
  });

  it('rejects a label whose tag key would exceed AWS limits', () => {
    const longKey = `${'a'.repeat(30)}.example.com/${'k'.repeat(50)}`;
    expect(() => group({ name: 'a', labels: { [longKey]: 'v' } })).toThrow(new RegExp(`labels\\["${longKey}"\\].*at most 82 characters`));
  });

  it('rejects two effects for one taint key, which the node template cannot hold', () => {
    const taints = [{ key: 'k', effect: 'NoSchedule' as const }, { key: 'k', effect: 'NoExecute' as const }];
    expect(() => group({ name: 'a', taints })).toThrow(/taints\[1\].*one taint per key/);
  });

  it('rejects more tags than an ASG takes', () => {
    const labels = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`l${i}`, 'v']));
    expect(() => group({ name: 'a', labels })).toThrow(/needs 52 tags.*allows 50/);
  });
});

describe('SpotNodeGroup termination lifecycle hook', () => {
  it('is off by default', () => {
    expect(group({ name: 'a' }).resource.aws_autoscaling_lifecycle_hook).toBeUndefined();
  });

  it('holds terminating instances for 120 s, then continues', () => {
    const out = group({ name: 'a' }, { terminationLifecycleHook: true });
    const hook = only(out, 'aws_autoscaling_lifecycle_hook');
    const [asg] = Object.keys(out.resource.aws_autoscaling_group);
    expect(hook).toMatchObject({
      lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeat_timeout: 120,
      default_result: 'CONTINUE',
      autoscaling_group_name: `\${aws_autoscaling_group.${asg}.name}`,
    });
  });
});
