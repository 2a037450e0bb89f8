import { TerraformStack, Testing } from 'cdktf';
import { oceanFilters } from '../../constructs/capacity/engines/spotinst/mapping';
import { OceanAws } from '../../constructs/capacity/engines/spotinst/ocean-aws';
import { SpotinstProvider } from '../../constructs/capacity/engines/spotinst/provider';
import { cluster, cpuSpec, gpuSpec, render, resourceList, sharedDefaults } from './ocean-fixtures';

/** The argument names of shared/reference/spot-ocean.md (provider docs and schema), per block. */
const OCEAN_ARGS = [
  'name', 'controller_id', 'region', 'subnet_ids', 'security_groups', 'image_id', 'min_size', 'max_size', 'desired_capacity', 'user_data',
  'iam_instance_profile', 'key_name', 'root_volume_size', 'associate_public_ip_address', 'whitelist', 'blacklist', 'filters', 'spot_percentage',
  'fallback_to_ondemand', 'utilize_reserved_instances', 'utilize_commitments', 'draining_timeout', 'grace_period', 'cluster_orientation',
  'instance_metadata_options', 'tags', 'startup_taints', 'load_balancers', 'block_device_mappings', 'use_as_template_only', 'autoscaler', 'update_policy',
];
const LAUNCH_SPEC_ARGS = [
  'ocean_id', 'name', 'image_id', 'images', 'user_data', 'iam_instance_profile', 'security_groups', 'subnet_ids', 'instance_types', 'instance_types_filters',
  'preferred_spot_types', 'preferred_od_types', 'root_volume_size', 'labels', 'taints', 'startup_taints', 'tags', 'strategy', 'resource_limits',
  'autoscale_headrooms', 'restrict_scale_down', 'instance_metadata_options', 'block_device_mappings', 'create_options', 'delete_options',
];
const FILTER_ARGS = [
  'architectures', 'categories', 'disk_types', 'include_families', 'exclude_families', 'hypervisor', 'root_device_types', 'virtualization_types', 'min_vcpu',
  'max_vcpu', 'min_gpu', 'max_gpu', 'min_enis', 'min_network_performance', 'max_network_performance', 'min_memory_gib', 'max_memory_gib', 'exclude_metal', 'is_ena_supported',
];
const BLOCK_ARGS: Record<string, string[]> = {
  filters: FILTER_ARGS,
  instance_types_filters: FILTER_ARGS,
  instance_metadata_options: ['http_tokens', 'http_put_response_hop_limit'],
  tags: ['key', 'value'],
  labels: ['key', 'value'],
  taints: ['key', 'value', 'effect'],
  startup_taints: ['key', 'value', 'effect'],
  block_device_mappings: ['device_name', 'ebs'],
  ebs: ['delete_on_termination', 'encrypted', 'iops', 'kms_key_id', 'snapshot_id', 'volume_size', 'volume_type', 'throughput'],
  autoscaler: ['autoscale_is_enabled', 'autoscale_is_auto_config', 'auto_headroom_percentage', 'autoscale_cooldown', 'autoscale_headroom', 'autoscale_down', 'resource_limits'],
  resource_limits: ['max_vcpu', 'max_memory_gib', 'min_instance_count', 'max_instance_count'],
  strategy: ['spot_percentage', 'draining_timeout', 'utilize_reserved_instances', 'utilize_commitments'],
};
const META = ['//', 'provider', 'depends_on', 'count', 'for_each', 'lifecycle'];

/** Every argument and nested block key is one the provider knows; blocks are lists of objects. */
function unknownArguments(resource: Record<string, unknown>, allowed: string[], path: string): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(resource)) {
    if (META.includes(key)) continue;
    if (!allowed.includes(key)) problems.push(`${path}.${key}`);
    const nested = BLOCK_ARGS[key];
    if (nested && typeof value === 'object') {
      if (!Array.isArray(value)) problems.push(`${path}.${key} is not a list of blocks`);
      else value.forEach((b, i) => problems.push(...unknownArguments(b as Record<string, unknown>, nested, `${path}.${key}[${i}]`)));
    }
  }
  return problems;
}

describe('the spotinst engine', () => {
  const specs = [
    cpuSpec,
    gpuSpec,
    { name: 'arm', architecture: 'arm64' as const, subnetIds: ['subnet-0cccccccccccccccc'], startupTaints: [{ key: 'example.com/boot', value: 'x', effect: 'NoSchedule' as const }] },
    { name: 'od', capacity: { type: 'on-demand' as const }, maxSize: 4 },
    { name: 'mixed', capacity: { type: 'spot-with-fallback' as const, onDemandPercentageAboveBase: 30 }, rootVolume: { sizeGiB: 120, kmsKeyId: 'alias/ebs' } },
  ];
  const r = render({ engine: 'spotinst', defaults: { ...sharedDefaults, limits: { maxVcpu: 512, maxMemoryGiB: 2048 } } }, specs);
  const [ocean] = resourceList(r.clusterJson, 'spotinst_ocean_aws');
  const launchSpecs: Record<string, any> = Object.fromEntries(resourceList(r.clusterJson, 'spotinst_ocean_aws_launch_spec').map((s) => [s.name, s]));

  it('emits exactly the argument names of the provider, blocks as lists of objects', () => {
    expect(unknownArguments(ocean, OCEAN_ARGS, 'spotinst_ocean_aws')).toEqual([]);
    for (const s of Object.values(launchSpecs)) expect(unknownArguments(s, LAUNCH_SPEC_ARGS, `launch_spec ${s.name}`)).toEqual([]);
  });

  it('binds the provider from the registry source, with the token from a sensitive variable in both stacks', () => {
    expect(r.clusterJson.terraform.required_providers.spotinst.source).toBe('spotinst/spotinst');
    expect(r.clusterJson.provider.spotinst).toEqual([{ token: '${var.spotinst_token}', account: 'act-12345678' }]);
    for (const json of [r.clusterJson, r.workloadsJson]) expect(json.variable.spotinst_token).toMatchObject({ sensitive: true, type: 'string' });
    const [controller] = resourceList(r.workloadsJson, 'helm_release');
    expect(controller.set_sensitive).toEqual([{ name: 'spotinst.token', value: '${var.spotinst_token}' }]);
    // Every token value in either stack is the variable reference, never a literal.
    const tokenValues: unknown[] = [];
    JSON.stringify([r.clusterJson, r.workloadsJson], (key, value) => {
      if (key === 'token') tokenValues.push(value);
      if (value?.name === 'spotinst.token') tokenValues.push(value.value);
      return value;
    });
    expect(tokenValues).toEqual(['${var.spotinst_token}', '${var.spotinst_token}']);
  });

  it('the Ocean: template-only defaults with the cluster identity, IMDSv2, encrypted disks, the cluster tag, limits', () => {
    expect(ocean).toMatchObject({
      name: 'demo',
      controller_id: 'demo',
      region: 'eu-west-1',
      subnet_ids: cluster.privateSubnetIds,
      security_groups: [cluster.clusterSecurityGroupId],
      iam_instance_profile: 'arn:aws:iam::123456789012:instance-profile/demo-node',
      fallback_to_ondemand: true,
      use_as_template_only: true,
      instance_metadata_options: [{ http_tokens: 'required', http_put_response_hop_limit: 1 }],
      autoscaler: [{ autoscale_is_enabled: true, autoscale_is_auto_config: true, resource_limits: [{ max_vcpu: 512, max_memory_gib: 2048 }] }],
    });
    expect(ocean.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\..*\.insecure_value\}$/);
    expect(ocean.tags).toContainEqual({ key: 'kubernetes.io/cluster/demo', value: 'owned' });
    expect(ocean.block_device_mappings[0].ebs[0]).toMatchObject({ encrypted: true, volume_type: 'gp3', volume_size: 50 });
    expect(ocean.filters[0]).toMatchObject({ architectures: ['x86_64'], min_vcpu: 2, max_vcpu: 16, min_memory_gib: 4, max_gpu: 0, exclude_metal: true });
    expect(ocean.filters[0].include_families).toEqual(expect.arrayContaining(['c5*', 'm7*', 'r6*']));
  });

  it('the controller runs with the same cluster identifier as controller_id', () => {
    const [controller] = resourceList(r.workloadsJson, 'helm_release');
    expect(controller).toMatchObject({ repository: 'https://charts.spot.io', chart: 'ocean-kubernetes-controller', namespace: 'kube-system' });
    expect(controller.set).toContainEqual({ name: 'spotinst.clusterIdentifier', value: ocean.controller_id });
    expect(controller.set).toContainEqual({ name: 'spotinst.account', value: 'act-12345678' });
    expect(r.clusterJson.resource.helm_release).toBeUndefined();
  });

  it('launch specs reference the Ocean and set only what differs', () => {
    const cpu = launchSpecs.cpu;
    expect(cpu.ocean_id).toMatch(/^\$\{spotinst_ocean_aws\..*\.id\}$/);
    expect(cpu.instance_types).toBeUndefined();
    expect(cpu.instance_types_filters).toBeUndefined();
    expect(cpu.subnet_ids).toBeUndefined();
    expect(launchSpecs.arm.subnet_ids).toEqual(['subnet-0cccccccccccccccc']);
    expect(launchSpecs.arm.instance_types_filters[0].architectures).toEqual(['arm64']);
    expect(launchSpecs.arm.startup_taints).toEqual([{ key: 'example.com/boot', value: 'x', effect: 'NoSchedule' }]);
    expect(launchSpecs.arm.image_id).not.toBe(cpu.image_id);
  });

  it('capacity becomes the spot percentage: on-demand 0, a 30% on-demand share 70, default 100', () => {
    expect(launchSpecs.od.strategy).toEqual([{ spot_percentage: 0 }]);
    expect(launchSpecs.mixed.strategy).toEqual([{ spot_percentage: 70 }]);
    expect(launchSpecs.cpu.strategy).toEqual([{ spot_percentage: 100 }]);
    expect(launchSpecs.od.resource_limits).toEqual([{ min_instance_count: 0, max_instance_count: 4 }]);
    expect(launchSpecs.od.labels).toContainEqual({ key: 'node-lifecycle', value: 'on-demand' });
    expect(launchSpecs.mixed.block_device_mappings[0].ebs[0]).toMatchObject({ volume_size: 120, kms_key_id: 'alias/ebs', encrypted: true });
  });

  it('user data is the base64 bootstrap with the node labels and taints', () => {
    const text = Buffer.from(launchSpecs.cpu.user_data, 'base64').toString('utf8');
    expect(text).toMatch(/--node-labels=workload=general,node-lifecycle=spot/);
    expect(Buffer.from(launchSpecs.gpu.user_data, 'base64').toString('utf8')).toBe('#!/bin/bash\necho gpu-node\n');
  });
});

describe('mapping instance requirements to Ocean filters', () => {
  it('categories become generation wildcards; with families, only families in those categories stay', () => {
    expect(oceanFilters({ categories: ['c'] }, 'x86_64').includeFamilies).toEqual(['c1*', 'c2*', 'c3*', 'c4*', 'c5*', 'c6*', 'c7*', 'c8*', 'c9*']);
    expect(oceanFilters({ categories: ['m'], includeFamilies: ['m7i', 'c7i', 'm6g'] }, 'arm64')).toMatchObject({ includeFamilies: ['m7i', 'm6g'], architectures: ['arm64'] });
  });
  it('memory in GiB; bare metal excluded unless asked for', () => {
    expect(oceanFilters({ memoryMiB: { min: 1536, max: 8192 } }, 'x86_64')).toMatchObject({ minMemoryGib: 1.5, maxMemoryGib: 8, excludeMetal: true });
    expect(oceanFilters({ excludeBareMetal: false }, 'x86_64').excludeMetal).toBe(false);
  });
});

describe('the hand binding', () => {
  it('exposes the id and keeps addOverride as the escape hatch', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    new SpotinstProvider(stack, 'spotinst');
    const o = new OceanAws(stack, 'o', { name: 'n', controllerId: 'n', region: 'eu-west-1', subnetIds: ['subnet-1'], securityGroups: ['sg-1'], imageId: 'ami-1' });
    o.addOverride('cluster_orientation', [{ availability_vs_cost: 'costOriented' }]);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.spotinst_ocean_aws.o).toMatchObject({ cluster_orientation: [{ availability_vs_cost: 'costOriented' }], image_id: 'ami-1' });
    expect(o.id).toMatch(/^\$\{TfToken/);
    // Without a token the provider block stays empty: the provider then reads SPOTINST_TOKEN.
    expect(json.provider.spotinst).toEqual([{}]);
  });
});

describe('what Spot Ocean cannot express fails at synth, naming the field and the engine', () => {
  it("a spot-only spec while Ocean-wide fallback is on", () => {
    expect(() => render({ engine: 'spotinst' }, [{ name: 'a', capacity: { type: 'spot' } }])).toThrow(/^launchSpecs\['a'\]\.capacity: not supported by the 'spotinst' engine/);
  });
  it('an on-demand base count', () => {
    expect(() => render({ engine: 'spotinst' }, [{ name: 'a', capacity: { type: 'spot-with-fallback', onDemandBase: 1 } }])).toThrow(/^launchSpecs\['a'\]\.capacity\.onDemandBase: not supported by the 'spotinst' engine/);
  });
  it('a spot-with-fallback spec while fallback is off', () => {
    expect(() => render({ engine: 'spotinst', defaults: { fallbackToOnDemand: false } }, [{ name: 'a', capacity: { type: 'spot-with-fallback' } }])).toThrow(/^launchSpecs\['a'\]\.capacity: not supported by the 'spotinst' engine/);
  });
  it('a spot-only spec is fine once fallback is off', () => {
    const r = render({ engine: 'spotinst', defaults: { fallbackToOnDemand: false } }, [{ name: 'a', capacity: { type: 'spot' } }]);
    expect(resourceList(r.clusterJson, 'spotinst_ocean_aws_launch_spec')[0].strategy).toEqual([{ spot_percentage: 100 }]);
  });
  it('the Spot account is required', () => {
    expect(() => render({ engine: 'spotinst', spotinst: undefined })).toThrow(/^spotinst: required with engine 'spotinst'/);
  });
});
