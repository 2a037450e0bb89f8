import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from '@cdktf/hcl2json';
import { App, TerraformStack } from 'cdktf';
import { OceanAws } from '../../constructs/capacity/engines/spotinst/ocean-aws';
import { OceanAwsLaunchSpec } from '../../constructs/capacity/engines/spotinst/ocean-aws-launch-spec';
import { SpotinstProvider } from '../../constructs/capacity/engines/spotinst/provider';
import { checkSpotinstProvider, checkSpotinstResource, checkSynthesizedStack } from '../../constructs/capacity/engines/spotinst/schema/check';
import { SPOTINST_SCHEMA } from '../../constructs/capacity/engines/spotinst/schema/provider-schema';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Ocean } from '../../constructs/capacity/ocean';
import { cluster, cpuSpec, gpuSpec, render, resourceList, sharedDefaults } from './ocean-fixtures';

const specs = [
  cpuSpec,
  gpuSpec,
  { name: 'od', capacity: { type: 'on-demand' as const } },
  { name: 'spare', headroom: { cpuPerUnit: 250, memoryPerUnit: 512, numOfUnits: 2 }, taints: [{ key: 'team', value: 'a', effect: 'NoSchedule' as const }] },
  // The tuning knobs Ocean renders: extra volumes, kubelet (user data), the draining timeout, a pinned release.
  {
    name: 'tuned',
    amiFamily: { kind: 'al2023' as const, version: 'v20251101' },
    kubelet: { maxPods: 58, systemReserved: { memory: '256Mi' } },
    extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 200, iops: 6000, throughput: 250, kmsKeyId: 'alias/data' }, { deviceName: '/dev/xvdd', sizeGiB: 100, volumeType: 'io2' as const, iops: 3000 }],
    disruption: { terminationGracePeriod: '1h30m' },
  },
  { name: 'br', amiFamily: { kind: 'bottlerocket' as const, version: 'v1.54.0' }, kubelet: { maxPods: 29 }, extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 100, volumeType: 'st1' as const }] },
];
const r = render({ engine: 'spotinst', defaults: sharedDefaults }, specs);
const [ocean] = resourceList(r.clusterJson, 'spotinst_ocean_aws');
const [launchSpec] = resourceList(r.clusterJson, 'spotinst_ocean_aws_launch_spec');
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('the schema snapshot', () => {
  it('is the v1.240.0 release of the provider, with the two resources and the provider block', () => {
    expect(SPOTINST_SCHEMA).toMatchObject({ release: 'v1.240.0', registrySource: 'spotinst/spotinst' });
    expect(Object.keys(SPOTINST_SCHEMA.resources).sort()).toEqual(['spotinst_ocean_aws', 'spotinst_ocean_aws_launch_spec']);
    expect(Object.keys(SPOTINST_SCHEMA.provider).sort()).toEqual(['account', 'enabled', 'feature_flags', 'token']);
  });
  it("knows the launch spec's instance_types_filters has 18 arguments and no architectures, the Ocean's filters 19", () => {
    const ls = SPOTINST_SCHEMA.resources.spotinst_ocean_aws_launch_spec.instance_types_filters.elem as any;
    const oc = SPOTINST_SCHEMA.resources.spotinst_ocean_aws.filters.elem as any;
    expect(Object.keys(ls.block)).toHaveLength(18);
    expect(Object.keys(ls.block)).not.toContain('architectures');
    expect(Object.keys(oc.block)).toEqual(['architectures', ...Object.keys(ls.block)]);
  });
});

describe('the schema check', () => {
  it('passes the engine output, every launch-spec shape included', () => {
    expect(resourceList(r.clusterJson, 'spotinst_ocean_aws_launch_spec').map((l) => l.name).sort()).toEqual(['br', 'br-od', 'cpu', 'cpu-od', 'gpu', 'gpu-od', 'od', 'spare', 'spare-od', 'tuned', 'tuned-od']);
    expect(checkSynthesizedStack(r.clusterJson)).toEqual([]);
  });
  it('fails an extra volume whose size is not a whole number, naming the nested block', () => {
    const tuned = clone(resourceList(r.clusterJson, 'spotinst_ocean_aws_launch_spec').find((l) => l.name === 'tuned'));
    tuned.block_device_mappings[1].ebs = [{ ...tuned.block_device_mappings[1].ebs[0], volume_size: '200' }];
    expect(checkSpotinstResource('spotinst_ocean_aws_launch_spec', tuned)).toEqual([expect.stringMatching(/block_device_mappings\[1\]\.ebs\[0\]\.volume_size: expects a whole number/)]);
  });
  it('fails a misspelt argument, naming it and the block it is in', () => {
    expect(checkSpotinstResource('spotinst_ocean_aws', { ...ocean, controler_id: 'x' })).toEqual([expect.stringMatching(/^spotinst_ocean_aws\.controler_id: not an argument of this block/)]);
    const nested = clone(launchSpec);
    nested.instance_metadata_options[0].http_token = 'required';
    expect(checkSpotinstResource('spotinst_ocean_aws_launch_spec', nested)).toEqual([expect.stringMatching(/^spotinst_ocean_aws_launch_spec\.instance_metadata_options\[0\]\.http_token: not an argument/)]);
  });
  it('fails architectures in a launch spec filter (issue 19)', () => {
    const bad = { ...launchSpec, instance_types_filters: [{ architectures: ['x86_64'], min_gpu: 1 }] };
    expect(checkSpotinstResource('spotinst_ocean_aws_launch_spec', bad)).toEqual([expect.stringMatching(/instance_types_filters\[0\]\.architectures: not an argument/)]);
  });
  it('fails a missing required argument, at the top and in a block', () => {
    const { image_id: imageId, ...noImage } = ocean;
    expect(imageId).toBeDefined();
    expect(checkSpotinstResource('spotinst_ocean_aws', noImage)).toEqual(['spotinst_ocean_aws.image_id: required by the provider, missing']);
    const noKey = clone(launchSpec);
    delete noKey.labels[0].key;
    expect(checkSpotinstResource('spotinst_ocean_aws_launch_spec', noKey)).toEqual(['spotinst_ocean_aws_launch_spec.labels[0].key: required by the provider, missing']);
  });
  it('fails wrong literal types: string, whole number, bool, list, block', () => {
    const check = (patch: object) => checkSpotinstResource('spotinst_ocean_aws', { ...ocean, ...patch });
    expect(check({ name: 7 })).toEqual([expect.stringMatching(/\.name: expects a string, got number 7/)]);
    expect(check({ max_size: 2.5 })).toEqual([expect.stringMatching(/\.max_size: expects a whole number/)]);
    expect(check({ max_size: '10' })).toEqual([expect.stringMatching(/\.max_size: expects a whole number, got string "10"/)]);
    expect(check({ use_as_template_only: 'true' })).toEqual([expect.stringMatching(/\.use_as_template_only: expects true or false/)]);
    expect(check({ subnet_ids: 'subnet-1' })).toEqual([expect.stringMatching(/\.subnet_ids: expects a list of values/)]);
    expect(check({ subnet_ids: [1] })).toEqual([expect.stringMatching(/\.subnet_ids\[0\]: expects a string/)]);
    expect(check({ autoscaler: 'on' })).toEqual([expect.stringMatching(/\.autoscaler: expects a block/)]);
    // A Terraform expression is accepted for any primitive: its type is known at plan.
    expect(check({ max_size: '${var.max}', subnet_ids: '${var.subnets}' })).toEqual([]);
  });
  it('fails MaxItems and ConflictsWith', () => {
    const two = { ...ocean, instance_metadata_options: [{ http_tokens: 'required' }, { http_tokens: 'optional' }] };
    expect(checkSpotinstResource('spotinst_ocean_aws', two)).toEqual(['spotinst_ocean_aws.instance_metadata_options: at most 1 item(s), got 2']);
    const both = { ...ocean, whitelist: ['m5.large'] };
    expect(checkSpotinstResource('spotinst_ocean_aws', both)).toEqual(['spotinst_ocean_aws.filters: conflicts with whitelist; set only one of them']);
  });
  it('fails a read-only argument and a wrong provider argument', () => {
    expect(checkSpotinstProvider({ token: '${var.t}', acount: 'act-1' })).toEqual([expect.stringMatching(/^provider\.spotinst\.acount: not an argument/)]);
    expect(checkSpotinstProvider({ enabled: 'yes' })).toEqual([expect.stringMatching(/enabled: expects true or false/)]);
  });
});

describe('synth', () => {
  // `cdktf synth --hcl` sets SYNTH_HCL_OUTPUT; stacks read it when they are created.
  function withHcl<T>(hcl: boolean, f: () => T): T {
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = String(hcl);
    try {
      return f();
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
    }
  }
  function app(hcl: boolean) {
    const outdir = mkdtempSync(join(tmpdir(), 'spotinst-'));
    const a = new App({ outdir, hclOutput: hcl });
    const stack = withHcl(hcl, () => new TerraformStack(a, 's'));
    const provider = new SpotinstProvider(stack, 'spotinst', { account: 'act-1' });
    const o = new OceanAws(stack, 'o', { provider, name: 'n', controllerId: 'n', region: 'eu-west-1', subnetIds: ['subnet-1'], securityGroups: ['sg-1'], imageId: 'ami-1', filters: { architectures: ['arm64'], minVcpu: 2 }, autoscaler: { autoscaleHeadroom: { numOfUnits: 1, cpuPerUnit: 100 } } });
    const ls = new OceanAwsLaunchSpec(stack, 'ls', { provider, oceanId: o.id, labels: [{ key: 'a', value: 'b' }], instanceTypesFilters: { minGpu: 1, includeFamilies: ['g5'] }, strategy: { spotPercentage: 0 }, autoscaleHeadrooms: [{ numOfUnits: 2, cpuPerUnit: 500 }] });
    return { a, outdir, o, ls };
  }
  const written = (outdir: string) => (existsSync(join(outdir, 'stacks', 's')) ? readdirSync(join(outdir, 'stacks', 's')) : []);

  it('a wrong override fails synth, naming it, before anything is written', () => {
    const { a, outdir, o } = app(false);
    o.addOverride('controler_id', 'n');
    expect(() => a.synth()).toThrow(/spotinst_ocean_aws\.controler_id: not an argument of this block/);
    expect(written(outdir)).toEqual([]);
  });

  it('renders HCL that parses back to arguments the schema accepts, blocks as blocks', async () => {
    const { a, outdir } = app(true);
    a.synth();
    const hcl = readFileSync(join(outdir, 'stacks', 's', 'cdk.tf'), 'utf8');
    expect(hcl).toMatch(/instance_types_filters \{/);
    expect(hcl).toMatch(/autoscale_headrooms \{/);
    const json = await parse('cdk.tf', hcl);
    expect(json.resource.spotinst_ocean_aws_launch_spec.ls[0]).toMatchObject({ instance_types_filters: [{ min_gpu: 1, include_families: ['g5'] }], strategy: [{ spot_percentage: 0 }] });
    expect(json.resource.spotinst_ocean_aws.o[0]).toMatchObject({ filters: [{ architectures: ['arm64'], min_vcpu: 2 }], subnet_ids: ['subnet-1'] });
    expect(json.terraform[0].required_providers[0].spotinst).toEqual({ source: 'spotinst/spotinst', version: '1.240.0' });
    expect(checkSynthesizedStack(asStack(json))).toEqual([]);
    // terraform itself parses it (fmt needs no provider).
    execFileSync('terraform', ['fmt', '-check=false', '-'], { input: hcl, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  });

  it('the whole engine renders HCL the schema accepts', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'spotinst-engine-'));
    const a = new App({ outdir, hclOutput: true });
    const { clusterStack, workloads } = withHcl(true, () => ({ clusterStack: new TerraformStack(a, 'cluster'), workloads: new TerraformStack(a, 'workloads') }));
    new AwsProvider(clusterStack, 'aws', { region: 'eu-west-1' });
    new HelmProvider(workloads, 'helm', {});
    const o = new Ocean(clusterStack, 'capacity', { cluster, region: 'eu-west-1', workloadsScope: workloads, engine: 'spotinst', spotinst: { account: 'act-1' }, defaults: sharedDefaults });
    specs.forEach((spec) => o.addLaunchSpec(spec));
    a.synth();
    const json = await parse('cdk.tf', readFileSync(join(outdir, 'stacks', 'cluster', 'cdk.tf'), 'utf8'));
    const launchSpecs = Object.values(json.resource.spotinst_ocean_aws_launch_spec).map((b: any) => b[0]);
    expect(launchSpecs.map((l: any) => l.name).sort()).toEqual(['br', 'br-od', 'cpu', 'cpu-od', 'gpu', 'gpu-od', 'od', 'spare', 'spare-od', 'tuned', 'tuned-od']);
    const tuned = launchSpecs.find((l: any) => l.name === 'tuned');
    expect(tuned.strategy).toEqual([{ spot_percentage: 100, draining_timeout: 5400 }]);
    expect(tuned.block_device_mappings.map((b: any) => b.device_name)).toEqual(['/dev/xvda', '/dev/xvdc', '/dev/xvdd']);
    expect(checkSynthesizedStack(asStack(json))).toEqual([]);
  });
});

/** hcl2json writes every resource as a one-element list of bodies; the check takes Terraform JSON. */
function asStack(json: any) {
  return {
    provider: { spotinst: json.provider.spotinst },
    resource: Object.fromEntries(Object.entries(json.resource).map(([t, byId]: [string, any]) => [t, Object.fromEntries(Object.entries(byId).map(([id, b]: [string, any]) => [id, b[0]]))])),
  } as any;
}
