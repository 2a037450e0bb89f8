import { TerraformStack, Testing } from 'cdktf';
import { instanceTypeArchitecture, launchSpecFilters, oceanFilters } from '../../constructs/capacity/engines/spotinst/mapping';
import { OceanAws } from '../../constructs/capacity/engines/spotinst/ocean-aws';
import { SpotinstProvider } from '../../constructs/capacity/engines/spotinst/provider';
import { checkSynthesizedStack } from '../../constructs/capacity/engines/spotinst/schema/check';
import { cluster, cpuSpec, gpuSpec, render, resourceList, sharedDefaults } from './ocean-fixtures';

describe('the spotinst engine', () => {
  const specs = [
    cpuSpec,
    gpuSpec,
    { name: 'arm', architecture: 'arm64' as const, subnetIds: ['subnet-0cccccccccccccccc'], startupTaints: [{ key: 'example.com/boot', value: 'x', effect: 'NoSchedule' as const }] },
    { name: 'od', capacity: { type: 'on-demand' as const }, maxSize: 4 },
    { name: 'mixed', capacity: { type: 'spot-with-fallback' as const }, rootVolume: { sizeGiB: 120, kmsKeyId: 'alias/ebs' } },
    { name: 'gpu-req', labels: { processor: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const }], instanceSelection: { requirements: { gpus: { min: 1, max: 4 }, includeFamilies: ['g5', 'g6'] } } },
    { name: 'spare', headroom: { cpuPerUnit: 500, memoryPerUnit: 1024, gpuPerUnit: 0, numOfUnits: 3 }, instanceProfile: 'team-a-nodes' },
  ];
  const r = render({ engine: 'spotinst', defaults: { ...sharedDefaults, limits: { maxVcpu: 512, maxMemoryGiB: 2048 } } }, specs);
  const [ocean] = resourceList(r.clusterJson, 'spotinst_ocean_aws');
  const launchSpecs: Record<string, any> = Object.fromEntries(resourceList(r.clusterJson, 'spotinst_ocean_aws_launch_spec').map((s) => [s.name, s]));

  it('every spotinst resource and the provider block pass the provider schema snapshot', () => {
    // CPU, GPU by requirements, custom AMI (gpu), another architecture, taints, startup taints,
    // headroom, an instance profile, on-demand, and the on-demand twins of every spot spec.
    expect(Object.keys(launchSpecs).sort()).toEqual(['arm', 'arm-od', 'cpu', 'cpu-od', 'gpu', 'gpu-od', 'gpu-req', 'gpu-req-od', 'mixed', 'mixed-od', 'od', 'spare', 'spare-od']);
    expect(checkSynthesizedStack(r.clusterJson)).toEqual([]);
    expect(r.clusterJson.provider.spotinst).toHaveLength(1);
  });

  it("the Ocean's filters name the architecture; a launch spec's never do (its image decides)", () => {
    expect(ocean.filters[0].architectures).toEqual(['x86_64']);
    const filtered = Object.values(launchSpecs).filter((s) => s.instance_types_filters);
    expect(filtered.map((s) => s.name).sort()).toEqual(['arm', 'arm-od', 'gpu-req', 'gpu-req-od']);
    for (const s of filtered) expect(Object.keys(s.instance_types_filters[0])).not.toContain('architectures');
    expect(launchSpecs['gpu-req'].instance_types_filters[0]).toMatchObject({ include_families: ['g5', 'g6'], min_gpu: 1, max_gpu: 4, exclude_metal: true });
    expect(launchSpecs.arm.image_id).not.toBe(launchSpecs.cpu.image_id);
  });

  it("a custom AMI is checked at plan against the architecture the spec asks for", () => {
    const amis = Object.values<any>(r.clusterJson.data?.aws_ami ?? {});
    expect(amis).toHaveLength(1); // gpu and gpu-od share the image and its check
    expect(amis[0]).toMatchObject({ filter: [{ name: 'image-id', values: ['ami-0123456789abcdef0'] }], include_deprecated: true });
    expect(amis[0].lifecycle.postcondition).toEqual([
      { condition: '${self.architecture == "x86_64"}', error_message: expect.stringMatching(/^launchSpecs\['gpu'\]\.amiFamily\.amiId: the image is not x86_64/) },
    ]);
    const arm = render({ engine: 'spotinst' }, [{ name: 'a', architecture: 'arm64', amiFamily: { kind: 'custom', amiId: 'ami-0aaaaaaaaaaaaaaaa' } }]);
    expect(Object.values<any>(arm.clusterJson.data.aws_ami)[0].lifecycle.postcondition[0].condition).toBe('${self.architecture == "arm64"}');
  });

  it('pins the provider to the release of the schema snapshot', () => {
    expect(r.clusterJson.terraform.required_providers.spotinst).toEqual({ source: 'spotinst/spotinst', version: '1.240.0' });
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
    expect(launchSpecs.arm.instance_types_filters[0]).toMatchObject({ min_vcpu: 2, max_vcpu: 16 });
    expect(launchSpecs.arm.startup_taints).toEqual([{ key: 'example.com/boot', value: 'x', effect: 'NoSchedule' }]);
    expect(launchSpecs.arm.image_id).not.toBe(cpu.image_id);
  });

  it('every launch spec has one lifecycle: spot specs at spot_percentage 100, their on-demand twins and on-demand specs at 0, labelled truthfully', () => {
    for (const s of Object.values(launchSpecs)) {
      const lifecycle = s.labels.find((l: any) => l.key === 'node-lifecycle')?.value;
      expect([s.name, s.strategy]).toEqual([s.name, [{ spot_percentage: lifecycle === 'spot' ? 100 : 0 }]]);
      const userData = Buffer.from(s.user_data, 'base64').toString('utf8');
      if (s.name !== 'gpu' && s.name !== 'gpu-od') expect(userData).toContain(`node-lifecycle=${lifecycle}`);
    }
    expect(launchSpecs.od.labels).toContainEqual({ key: 'node-lifecycle', value: 'on-demand' });
    expect(launchSpecs.od.taints).toEqual([{ key: 'node-lifecycle', value: 'on-demand', effect: 'PreferNoSchedule' }]);
    expect(launchSpecs['od-od']).toBeUndefined();
    expect(launchSpecs.od.resource_limits).toEqual([{ min_instance_count: 0, max_instance_count: 4 }]);
    // The twin starts empty, keeps the spec's taints and adds the soft lifecycle taint.
    expect(launchSpecs['gpu-od'].resource_limits[0].min_instance_count).toBe(0);
    expect(launchSpecs['gpu-od'].taints).toEqual([...launchSpecs.gpu.taints, { key: 'node-lifecycle', value: 'on-demand', effect: 'PreferNoSchedule' }]);
    expect(launchSpecs.mixed.block_device_mappings[0].ebs[0]).toMatchObject({ volume_size: 120, kms_key_id: 'alias/ebs', encrypted: true });
  });

  it('a pod with no selector only fits spot launch specs; one selecting node-lifecycle: on-demand only on-demand ones', () => {
    const { onDemandNodeSelector } = r.ocean;
    expect(onDemandNodeSelector).toEqual({ 'node-lifecycle': 'on-demand' });
    const labels = (s: any): Record<string, string> => Object.fromEntries(s.labels.map((l: any) => [l.key, l.value]));
    // Untolerated taints: hard ones exclude a launch spec, soft ones (PreferNoSchedule) rank it last.
    const fits = (s: any, selector: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels(s)[k] === v) && !(s.taints ?? []).some((t: any) => t.effect !== 'PreferNoSchedule');
    const preferred = (selector: Record<string, string>) => {
      const candidates = Object.values(launchSpecs).filter((s) => fits(s, selector));
      const untainted = candidates.filter((s) => !(s.taints ?? []).length);
      return untainted.length > 0 ? untainted : candidates;
    };
    const noSelector = preferred({});
    expect(noSelector.map((s) => s.name).sort()).toEqual(['arm', 'cpu', 'mixed', 'spare']);
    for (const s of noSelector) expect(s.strategy[0].spot_percentage).toBe(100);
    const onDemand = Object.values(launchSpecs).filter((s) => fits(s, onDemandNodeSelector));
    expect(onDemand.map((s) => s.name).sort()).toEqual(['arm-od', 'cpu-od', 'mixed-od', 'od', 'spare-od']);
    for (const s of onDemand) expect(s.strategy[0].spot_percentage).toBe(0);
  });

  it('headroom and the instance profile: per launch spec, on the spot spec only; Ocean-wide from the defaults', () => {
    expect(launchSpecs.spare.autoscale_headrooms).toEqual([{ num_of_units: 3, cpu_per_unit: 500, memory_per_unit: 1024, gpu_per_unit: 0 }]);
    expect(launchSpecs.spare.iam_instance_profile).toBe('team-a-nodes');
    expect(launchSpecs['spare-od'].autoscale_headrooms).toBeUndefined();
    expect(launchSpecs['spare-od'].iam_instance_profile).toBe('team-a-nodes');
    expect(launchSpecs.cpu.iam_instance_profile).toBeUndefined();
    // Manual headroom is honoured beside the automatic one.
    expect(ocean.autoscaler[0].enable_automatic_and_manual_headroom).toBe(true);
    expect(ocean.autoscaler[0].autoscale_headroom).toBeUndefined();
    const withDefaults = render({ engine: 'spotinst', defaults: { ...sharedDefaults, headroom: { cpuPerUnit: 1000, memoryPerUnit: 2048, numOfUnits: 2 } } }, [cpuSpec]);
    const [o] = resourceList(withDefaults.clusterJson, 'spotinst_ocean_aws');
    expect(o.autoscaler[0].autoscale_headroom).toEqual([{ num_of_units: 2, cpu_per_unit: 1000, memory_per_unit: 2048 }]);
    expect(checkSynthesizedStack(withDefaults.clusterJson)).toEqual([]);
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
  it("a launch spec's filters are the Ocean's without architectures", () => {
    const r = { vcpu: { min: 2 }, categories: ['c'], gpus: { max: 0 } };
    const { architectures, ...rest } = oceanFilters(r, 'arm64');
    expect(architectures).toEqual(['arm64']);
    expect(launchSpecFilters(r)).toEqual(rest);
    expect(launchSpecFilters(r)).not.toHaveProperty('architectures');
  });
  it('the architecture of an instance type, from its family', () => {
    for (const t of ['m7g.large', 'c6gn.xlarge', 'g5g.xlarge', 'is4gen.large', 'x2gd.medium', 'a1.large', 't4g.small']) expect([t, instanceTypeArchitecture(t)]).toEqual([t, 'arm64']);
    for (const t of ['m7i.large', 'g5.xlarge', 'g4ad.xlarge', 'g4dn.xlarge', 'c7i-flex.large', 'inf2.xlarge', 'p5.48xlarge']) expect([t, instanceTypeArchitecture(t)]).toEqual([t, 'x86_64']);
    expect(instanceTypeArchitecture('u-6tb1.metal')).toBeUndefined();
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
  it('explicit instance types of another architecture than the spec image', () => {
    expect(() => render({ engine: 'spotinst' }, [{ name: 'a', architecture: 'arm64', instanceSelection: { instanceTypes: ['m7g.large', 'm7i.large'] } }])).toThrow(
      /^launchSpecs\['a'\]\.instanceSelection\.instanceTypes: not supported by the 'spotinst' engine — m7i\.large is not arm64/,
    );
  });
  it('an on-demand share inside a spot launch spec (its on-demand nodes would be labelled spot)', () => {
    expect(() => render({ engine: 'spotinst' }, [{ name: 'a', capacity: { type: 'spot-with-fallback', onDemandPercentageAboveBase: 30 } }])).toThrow(
      /^launchSpecs\['a'\]\.capacity\.onDemandPercentageAboveBase: not supported by the 'spotinst' engine/,
    );
    expect(() => render({ engine: 'spotinst', defaults: { spotPercentage: 70 } }, [{ name: 'a' }])).toThrow(/^defaults\.spotPercentage: not supported by the 'spotinst' engine/);
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
