import { completeDefaults, defaultCapacity, resolveLaunchSpec, STANDARD_SELECTION } from '../../constructs/capacity/ocean-defaults';
import { cluster } from './ocean-fixtures';

const otherRole = {
  roleArn: 'arn:aws:iam::123456789012:role/other',
  roleName: 'other',
  instanceProfileName: 'other',
  instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/other',
};

describe('completeDefaults', () => {
  it('fills every gap from the cluster and the documented defaults', () => {
    const d = completeDefaults({}, cluster);
    expect(d.subnetIds).toEqual(cluster.privateSubnetIds);
    expect(d.securityGroupIds).toEqual([cluster.clusterSecurityGroupId]);
    expect(d.nodeRole).toBe(cluster.nodeRole);
    expect(d.amiFamily).toEqual({ kind: 'al2023' });
    expect(d.architecture).toBe('x86_64');
    expect(d.instanceSelection).toEqual(STANDARD_SELECTION);
    expect(d.metadataHopLimit).toBe(1);
    expect(d.rootVolume.sizeGiB).toBe(50);
    // Ocean's defaults: all spot, with fallback to on-demand.
    expect(d.capacity).toEqual({ type: 'spot-with-fallback', onDemandBase: 0, onDemandPercentageAboveBase: 0 });
  });

  it.each([0, 65, 1.5])('rejects IMDS hop limit %p naming the field', (hop) => {
    expect(() => completeDefaults({ metadataHopLimit: hop }, cluster)).toThrow(/defaults\.metadataHopLimit.*Fix/);
  });

  it('rejects a non-positive limit naming the field', () => {
    expect(() => completeDefaults({ limits: { maxVcpu: 0 } }, cluster)).toThrow(/defaults\.limits\.maxVcpu/);
  });
});

describe('defaultCapacity', () => {
  it.each([
    [100, true, { type: 'spot-with-fallback', onDemandBase: 0, onDemandPercentageAboveBase: 0 }],
    [70, true, { type: 'spot-with-fallback', onDemandBase: 0, onDemandPercentageAboveBase: 30 }],
    [0, true, { type: 'on-demand' }],
    [0, false, { type: 'on-demand' }],
    [100, false, { type: 'spot' }],
  ])('spotPercentage %p with fallback %p', (pct, fallback, expected) => {
    expect(defaultCapacity(pct, fallback)).toEqual(expected);
  });

  it('refuses a spot/on-demand mix without fallback, naming both fields', () => {
    expect(() => defaultCapacity(70, false)).toThrow(/defaults\.spotPercentage.*fallbackToOnDemand/);
  });

  it.each([-1, 101, 50.5])('refuses spotPercentage %p', (pct) => {
    expect(() => defaultCapacity(pct, true)).toThrow(/defaults\.spotPercentage: .* is not a percentage/);
  });
});

describe('resolveLaunchSpec', () => {
  const defaults = completeDefaults(
    {
      subnetIds: ['subnet-0ccccccccccccccccc'],
      securityGroupIds: ['sg-0ccccccccccccccccc'],
      nodeRole: otherRole,
      amiFamily: { kind: 'bottlerocket' },
      architecture: 'arm64',
      instanceSelection: { instanceTypes: ['m7g.large'] },
      spotPercentage: 80,
      metadataHopLimit: 2,
      rootVolume: { sizeGiB: 80, kmsKeyId: 'alias/ebs' },
      tags: { team: 'platform', cost: 'shared' },
    },
    cluster,
  );

  it('a spec setting only its name inherits every default', () => {
    const r = resolveLaunchSpec(defaults, { name: 'plain' });
    expect(r).toMatchObject({
      subnetIds: ['subnet-0ccccccccccccccccc'],
      securityGroupIds: ['sg-0ccccccccccccccccc'],
      nodeRole: otherRole,
      amiFamily: { kind: 'bottlerocket' },
      architecture: 'arm64',
      instanceSelection: { instanceTypes: ['m7g.large'] },
      capacity: { type: 'spot-with-fallback', onDemandPercentageAboveBase: 20 },
      metadataHopLimit: 2,
      rootVolume: { sizeGiB: 80, kmsKeyId: 'alias/ebs' },
      tags: { team: 'platform', cost: 'shared' },
      labels: {},
      taints: [],
      startupTaints: [],
      minSize: 0,
      maxSize: 10,
    });
    expect([...r.overrides]).toEqual(['name']);
  });

  it('what a spec sets wins; tags merge with the spec on top; a partial root volume keeps the default key', () => {
    const r = resolveLaunchSpec(defaults, {
      name: 'gpu',
      architecture: 'x86_64',
      subnetIds: ['subnet-0ddddddddddddddddd'],
      instanceSelection: { requirements: { gpus: { min: 1 } } },
      capacity: { type: 'on-demand' },
      rootVolume: { sizeGiB: 200 },
      tags: { cost: 'ml' },
      maxSize: 3,
    });
    expect(r.architecture).toBe('x86_64');
    expect(r.subnetIds).toEqual(['subnet-0ddddddddddddddddd']);
    expect(r.securityGroupIds).toEqual(['sg-0ccccccccccccccccc']);
    expect(r.instanceSelection).toEqual({ requirements: { gpus: { min: 1 } } });
    expect(r.capacity).toEqual({ type: 'on-demand' });
    expect(r.rootVolume).toEqual({ sizeGiB: 200, kmsKeyId: 'alias/ebs' });
    expect(r.tags).toEqual({ team: 'platform', cost: 'ml' });
    expect(r.maxSize).toBe(3);
    expect([...r.overrides].sort()).toEqual(['architecture', 'capacity', 'instanceSelection', 'maxSize', 'name', 'rootVolume', 'subnetIds', 'tags']);
  });

  it('does not change the defaults it reads', () => {
    const before = JSON.stringify(defaults);
    resolveLaunchSpec(defaults, { name: 'x', tags: { cost: 'other' } });
    expect(JSON.stringify(defaults)).toBe(before);
  });
});
