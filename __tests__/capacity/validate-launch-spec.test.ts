import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { validateLaunchSpec, validateLaunchSpecs } from '../../constructs/capacity/validate-launch-spec';

const ok: LaunchSpec = {
  name: 'general-spot',
  amiFamily: { kind: 'al2023' },
  architecture: 'arm64',
  labels: { 'example.com/team': 'payments', tier: '', 'node.kubernetes.io/pool': 'general' },
  taints: [{ key: 'example.com/dedicated', value: 'batch', effect: 'NoSchedule' }, { key: 'example.com/dedicated', effect: 'NoExecute' }],
  startupTaints: [{ key: 'node.example.com/not-ready', effect: 'NoSchedule' }],
  instanceSelection: { requirements: { vcpu: { min: 2, max: 8 }, memoryMiB: { min: 4096 }, categories: ['c', 'm'] } },
  capacity: { type: 'spot-with-fallback', onDemandBase: 1, onDemandPercentageAboveBase: 25 },
  rootVolume: { sizeGiB: 100 },
  minSize: 1,
  maxSize: 5,
  subnetIds: ['subnet-0abc1234'],
  securityGroupIds: ['sg-0abc1234'],
  tags: { 'cost-center': '42' },
};

function problemOf(spec: Partial<LaunchSpec> & Record<string, unknown>): string {
  try {
    validateLaunchSpec({ ...ok, ...spec } as LaunchSpec, 'nodePools[2]');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('validateLaunchSpec', () => {
  it('accepts a spec that uses every field correctly', () => {
    expect(() => validateLaunchSpec(ok, 'nodePools[0]')).not.toThrow();
    expect(() => validateLaunchSpec({ name: 'a' }, 'nodePools[0]')).not.toThrow();
  });

  // Each row: the bad part of a spec, the field path the message must name, and a word of the fix.
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['upper-case name', { name: 'General' }, 'nodePools[2].name', /lowercase/],
    ['name over 40 characters', { name: 'a'.repeat(41) }, 'nodePools[2].name', /1-40/],
    ['name ending in -', { name: 'spot-' }, 'nodePools[2].name', /inner "-"/],
    ['label key name too long', { labels: { ['a'.repeat(64)]: 'x' } }, `nodePools[2].labels["${'a'.repeat(64)}"]`, /1-63/],
    ['label key with bad prefix', { labels: { 'Example.COM/x': 'y' } }, 'nodePools[2].labels["Example.COM/x"]', /DNS subdomain/],
    ['label key prefix over 253', { labels: { [`${'a'.repeat(254)}/x`]: 'y' } }, 'nodePools[2].labels', /253/],
    ['label key starting with -', { labels: { '-team': 'x' } }, 'nodePools[2].labels["-team"]', /rename/],
    ['label value with a space', { labels: { team: 'a b' } }, 'nodePools[2].labels["team"]', /label value/],
    ['label value over 63', { labels: { team: 'v'.repeat(64) } }, 'nodePools[2].labels["team"]', /1-63/],
    ['kubelet-restricted label prefix', { labels: { 'node-role.kubernetes.io/worker': '' } }, 'nodePools[2].labels["node-role.kubernetes.io/worker"]', /reserved/],
    ['lifecycle label set by hand', { labels: { 'node-lifecycle': 'spot' } }, 'nodePools[2].labels["node-lifecycle"]', /capacity/],
    ['taint key invalid', { taints: [{ key: 'bad key', effect: 'NoSchedule' }] }, 'nodePools[2].taints[0].key', /label-style key/],
    ['taint value invalid', { taints: [{ key: 'k', value: 'a/b', effect: 'NoSchedule' }] }, 'nodePools[2].taints[0].value', /taint value/],
    ['taint effect invalid', { taints: [{ key: 'k', effect: 'NoRun' }] }, 'nodePools[2].taints[0].effect', /NoSchedule, PreferNoSchedule, NoExecute/],
    ['duplicate taint', { taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', value: 'v', effect: 'NoSchedule' }] }, 'nodePools[2].taints[1]', /one taint per key and effect/],
    ['startup taint effect invalid', { startupTaints: [{ key: 'k', effect: 'Later' }] }, 'nodePools[2].startupTaints[0].effect', /NoSchedule/],
    ['minSize above maxSize', { minSize: 6, maxSize: 5 }, 'nodePools[2].minSize', /minSize ≤ maxSize/],
    ['minSize above default maxSize', { minSize: 11, maxSize: undefined }, 'nodePools[2].minSize', /defaults to 10/],
    ['negative minSize', { minSize: -1 }, 'nodePools[2].minSize', /non-negative integer/],
    ['fractional maxSize', { maxSize: 2.5 }, 'nodePools[2].maxSize', /non-negative integer/],
    ['vcpu min above max', { instanceSelection: { requirements: { vcpu: { min: 8, max: 4 } } } }, 'nodePools[2].instanceSelection.requirements.vcpu', /min ≤ max/],
    ['memory min above max', { instanceSelection: { requirements: { memoryMiB: { min: 8192, max: 4096 } } } }, 'nodePools[2].instanceSelection.requirements.memoryMiB', /min ≤ max/],
    ['gpu min above max', { instanceSelection: { requirements: { gpus: { min: 2, max: 1 } } } }, 'nodePools[2].instanceSelection.requirements.gpus', /min ≤ max/],
    ['negative vcpu', { instanceSelection: { requirements: { vcpu: { min: -2 } } } }, 'nodePools[2].instanceSelection.requirements.vcpu.min', /non-negative/],
    ['both selection modes', { instanceSelection: { instanceTypes: ['m7i.large'], requirements: { vcpu: { min: 2 } } } }, 'nodePools[2].instanceSelection', /either instanceTypes or requirements/],
    ['empty instance types', { instanceSelection: { instanceTypes: [] } }, 'nodePools[2].instanceSelection.instanceTypes', /at least one type/],
    ['malformed instance type', { instanceSelection: { instanceTypes: ['m7i'] } }, 'nodePools[2].instanceSelection.instanceTypes[0]', /<family>.<size>/],
    ['duplicate instance type', { instanceSelection: { instanceTypes: ['m7i.large', 'm7i.large'] } }, 'nodePools[2].instanceSelection.instanceTypes', /duplicates/],
    ['family with size', { instanceSelection: { requirements: { includeFamilies: ['m7i.large'] } } }, 'nodePools[2].instanceSelection.requirements.includeFamilies[0]', /no size/],
    ['family included and excluded', { instanceSelection: { requirements: { includeFamilies: ['m7i'], excludeFamilies: ['m7i'] } } }, 'nodePools[2].instanceSelection.requirements.excludeFamilies', /one of the two/],
    ['category with digits', { instanceSelection: { requirements: { categories: ['m7'] } } }, 'nodePools[2].instanceSelection.requirements.categories[0]', /letters before the generation/],
    ['custom AMI id malformed', { amiFamily: { kind: 'custom', amiId: 'ami-xyz' } }, 'nodePools[2].amiFamily.amiId', /ami-0123456789abcdef0/],
    ['unknown AMI family', { amiFamily: { kind: 'windows' } }, 'nodePools[2].amiFamily.kind', /al2023/],
    ['extra part with boundary', { amiFamily: { kind: 'al2023', extraUserDataParts: [{ contentType: 'text/x-shellscript', content: '--//SPOT-READY-EKS-BOUNDARY//\n' }] } }, 'nodePools[2].amiFamily.extraUserDataParts[0].content', /boundary/],
    ['extra part without type', { amiFamily: { kind: 'al2023', extraUserDataParts: [{ contentType: '', content: 'x' }] } }, 'nodePools[2].amiFamily.extraUserDataParts[0].contentType', /MIME type/],
    ['unknown architecture', { architecture: 'riscv64' }, 'nodePools[2].architecture', /x86_64/],
    ['root volume too small', { rootVolume: { sizeGiB: 19 } }, 'nodePools[2].rootVolume.sizeGiB', /20 to 16384/],
    ['root volume too large', { rootVolume: { sizeGiB: 16385 } }, 'nodePools[2].rootVolume.sizeGiB', /20 to 16384/],
    ['empty KMS key', { rootVolume: { kmsKeyId: ' ' } }, 'nodePools[2].rootVolume.kmsKeyId', /AWS-managed key/],
    ['on-demand percentage over 100', { capacity: { type: 'spot-with-fallback', onDemandPercentageAboveBase: 101 } }, 'nodePools[2].capacity.onDemandPercentageAboveBase', /0 to 100/],
    ['negative on-demand percentage', { capacity: { type: 'spot-with-fallback', onDemandPercentageAboveBase: -5 } }, 'nodePools[2].capacity.onDemandPercentageAboveBase', /0 to 100/],
    ['negative on-demand base', { capacity: { type: 'spot-with-fallback', onDemandBase: -1 } }, 'nodePools[2].capacity.onDemandBase', /non-negative/],
    ['unknown capacity type', { capacity: { type: 'reserved' } }, 'nodePools[2].capacity.type', /spot-with-fallback/],
    ['malformed subnet id', { subnetIds: ['sub-1'] }, 'nodePools[2].subnetIds[0]', /subnet-0abc/],
    ['empty security groups', { securityGroupIds: [] }, 'nodePools[2].securityGroupIds', /cluster default/],
    ['aws: tag', { tags: { 'aws:owner': 'me' } }, 'nodePools[2].tags["aws:owner"]', /another key/],
  ];

  it.each(cases)('rejects %s, naming the field and the fix', (_what, bad, field, fix) => {
    const message = problemOf(bad);
    expect(message).toContain(`${field}`);
    expect(message).toMatch(fix);
    expect(message).toContain('Fix:');
  });

  it('reports every problem of a spec at once', () => {
    const message = problemOf({ name: 'X', minSize: -1, rootVolume: { sizeGiB: 1 } });
    expect(message).toContain('nodePools[2].name');
    expect(message).toContain('nodePools[2].minSize');
    expect(message).toContain('nodePools[2].rootVolume.sizeGiB');
  });

  it('skips values that are only known at apply time', () => {
    const stack = new TerraformStack(Testing.app(), 'tokens');
    const subnet = new TerraformVariable(stack, 'subnet', { type: 'string' }).stringValue;
    const size = new TerraformVariable(stack, 'size', { type: 'number' }).numberValue;
    expect(() => validateLaunchSpec({ name: 'a', subnetIds: [subnet], rootVolume: { sizeGiB: size } }, 'p')).not.toThrow();
  });
});

describe('validateLaunchSpecs', () => {
  it('rejects a duplicate name, naming both positions', () => {
    expect(() => validateLaunchSpecs([{ name: 'a' }, { name: 'b' }, { name: 'a' }], 'nodePools')).toThrow(
      /nodePools\[2\]\.name: 'a' is already used by nodePools\[0\]/,
    );
  });

  it('validates each spec with its index in the path', () => {
    expect(() => validateLaunchSpecs([{ name: 'a' }, { name: 'B' }], 'nodePools')).toThrow(/nodePools\[1\]\.name/);
    expect(() => validateLaunchSpecs([{ name: 'a' }, { name: 'b' }], 'nodePools')).not.toThrow();
  });
});
