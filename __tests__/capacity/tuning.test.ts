/** The tuning knobs of a launch spec: where each engine renders them, and synth errors for bad values or an engine that cannot. */
import { parse } from 'yaml';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import type { OceanDefaults } from '../../constructs/capacity/ocean-defaults';
import { SpotNodeGroup } from '../../constructs/capacity/engines/asg/spot-node-group';
import { fromBase64, nodeConfigOf } from './decode';
import { cluster, synth } from './fixtures';
import { cpuSpec, karpenterSchemaErrors, render, resourceList, sharedDefaults } from './ocean-fixtures';

const tuned: LaunchSpec = {
  name: 'tuned',
  labels: { workload: 'tuned' },
  weight: 30,
  limits: { maxVcpu: 64, maxMemoryGiB: 256 },
  kubelet: { maxPods: 58, kubeReserved: { cpu: '100m', memory: '512Mi' }, systemReserved: { memory: '256Mi', ephemeralStorage: '1Gi' } },
  extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 200, volumeType: 'gp3', iops: 6000, throughput: 250, kmsKeyId: 'alias/data' }],
  disruption: {
    consolidationPolicy: 'WhenEmpty',
    consolidateAfter: '10m',
    expireAfter: '336h',
    terminationGracePeriod: '2h',
    budgets: [{ nodes: '10%' }, { nodes: '0', schedule: '0 9 * * 1-5', duration: '8h', reasons: ['Drifted', 'Underutilized'] }],
  },
  amiFamily: { kind: 'al2023', version: 'v20251101' },
};

describe('karpenter renders every knob where Karpenter expects it', () => {
  const r = render({ engine: 'karpenter', karpenter: { spotToSpotConsolidation: true }, defaults: sharedDefaults }, [tuned, { name: 'own-ami', amiFamily: { kind: 'bottlerocket', amiTags: { team: 'platform' } } }]);
  const manifests = resourceList(r.workloadsJson, 'kubernetes_manifest').map((m) => m.manifest);
  const pool = (name: string) => manifests.find((m) => m.kind === 'NodePool' && m.metadata.name === name).spec;
  const nodeClass = (name: string) => manifests.find((m) => m.kind === 'EC2NodeClass' && m.metadata.name === name).spec;

  it("every manifest passes Karpenter's CRD schemas", () => {
    expect(karpenterSchemaErrors(manifests)).toEqual([]);
  });

  it('NodePool: weight (spot above on-demand), limits, disruption policy and budgets, expireAfter, terminationGracePeriod', () => {
    expect([pool('tuned').weight, pool('tuned-od').weight]).toEqual([80, 30]);
    expect(pool('tuned').limits).toEqual({ cpu: '64', memory: '256Gi' });
    expect(pool('tuned').disruption).toEqual({
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '10m',
      budgets: [{ nodes: '10%' }, { nodes: '0', schedule: '0 9 * * 1-5', duration: '8h', reasons: ['Drifted', 'Underutilized'] }],
    });
    expect(pool('tuned-od').template.spec).toMatchObject({ expireAfter: '336h', terminationGracePeriod: '2h' });
  });

  it('EC2NodeClass: kubelet, the extra volume after the root, the pinned AMI release, or your AMIs by tag', () => {
    expect(nodeClass('tuned').kubelet).toEqual({ maxPods: 58, kubeReserved: { cpu: '100m', memory: '512Mi' }, systemReserved: { memory: '256Mi', 'ephemeral-storage': '1Gi' } });
    expect(nodeClass('tuned').blockDeviceMappings[1]).toEqual({
      deviceName: '/dev/xvdc',
      ebs: { volumeSize: '200Gi', volumeType: 'gp3', iops: 6000, throughput: 250, encrypted: true, deleteOnTermination: true, kmsKeyID: 'alias/data' },
    });
    expect(nodeClass('tuned').amiSelectorTerms).toEqual([{ alias: 'al2023@v20251101' }]);
    expect(nodeClass('own-ami')).toMatchObject({ amiFamily: 'Bottlerocket', amiSelectorTerms: [{ tags: { team: 'platform' } }] });
  });

  it('pins the AMI by default: no alias follows @latest unless asked', () => {
    const plain = render({ engine: 'karpenter' }, [cpuSpec, { name: 'follow', amiFamily: { kind: 'al2023', version: 'latest' } }]);
    const aliases = resourceList(plain.workloadsJson, 'kubernetes_manifest').filter((m) => m.manifest.kind === 'EC2NodeClass').map((m) => m.manifest.spec.amiSelectorTerms[0].alias);
    expect(aliases.sort()).toEqual(['al2023@latest', 'al2023@v20260224']);
  });

  it('SpotToSpotConsolidation feature gate: off by default, on as an option', () => {
    const gate = (json: any) => parse(resourceList(json, 'helm_release')[0].values[0]).settings.featureGates.spotToSpotConsolidation;
    expect(gate(r.workloadsJson)).toBe(true);
    expect(gate(render({ engine: 'karpenter' }).workloadsJson)).toBe(false);
  });

  it('the defaults carry kubelet and disruption to every spec that sets none', () => {
    const d: OceanDefaults = { disruption: { expireAfter: 'Never' }, kubelet: { maxPods: 110 } };
    const out = render({ engine: 'karpenter', defaults: d }, [cpuSpec]);
    const m = resourceList(out.workloadsJson, 'kubernetes_manifest').map((x) => x.manifest);
    expect(m.find((x) => x.kind === 'NodePool').spec.template.spec.expireAfter).toBe('Never');
    expect(m.find((x) => x.kind === 'EC2NodeClass').spec.kubelet).toEqual({ maxPods: 110 });
  });
});

describe('asg renders what a launch template can carry', () => {
  const spec: LaunchSpec = { name: 'tuned', kubelet: tuned.kubelet, extraBlockDevices: tuned.extraBlockDevices, amiFamily: tuned.amiFamily };
  const r = render({ engine: 'asg' }, [spec, { name: 'br', amiFamily: { kind: 'bottlerocket' }, kubelet: { maxPods: 29, kubeReserved: { memory: '300Mi' } } }]);
  const template = (name: string) => resourceList(r.clusterJson, 'aws_launch_template').find((t) => t.name === `demo-${name}`);

  it('kubelet settings through nodeadm (AL2023) and Bottlerocket settings', () => {
    expect(nodeConfigOf(template('tuned').user_data).spec.kubelet).toMatchObject({
      config: { maxPods: 58, kubeReserved: { cpu: '100m', memory: '512Mi' }, systemReserved: { memory: '256Mi', 'ephemeral-storage': '1Gi' } },
    });
    const toml = fromBase64(template('br').user_data);
    expect(toml).toContain('max-pods = 29');
    expect(toml).toContain('kube-reserved = { memory = "300Mi" }');
  });

  it('the extra volume, encrypted, after the root volume; the pinned AMI release read from SSM', () => {
    expect(template('tuned').block_device_mappings[1]).toEqual({
      device_name: '/dev/xvdc',
      ebs: { volume_size: 200, volume_type: 'gp3', iops: 6000, throughput: 250, encrypted: 'true', kms_key_id: 'alias/data', delete_on_termination: 'true' },
    });
    const names = Object.values(r.clusterJson.data.aws_ssm_parameter).map((p: any) => p.name);
    expect(names).toContain('/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.33-v20251101/image_id');
  });

  it.each<[string, LaunchSpec, RegExp]>([
    ['disruption', { name: 'a', disruption: { expireAfter: '24h' } }, /^launchSpecs\['a'\]\.disruption: not supported by the 'asg' engine/],
    ['limits', { name: 'a', limits: { maxVcpu: 10 } }, /^launchSpecs\['a'\]\.limits: not supported by the 'asg' engine.*maxSize/],
    ['AMIs by tag', { name: 'a', amiFamily: { kind: 'al2023', amiTags: { team: 'x' } } }, /^launchSpecs\['a'\]\.amiFamily\.amiTags: not supported by the 'asg' engine/],
    ['kubelet on a custom AMI', { name: 'a', amiFamily: { kind: 'custom', amiId: 'ami-0123456789abcdef0' }, kubelet: { maxPods: 10 } }, /^launchSpecs\['a'\]\.kubelet: not supported by the 'asg' engine/],
  ])('%s fails at synth, naming the field', (_, bad, error) => {
    expect(() => render({ engine: 'asg' }, [bad])).toThrow(error);
  });

  it('weight ranks groups within their class in the priority expander; every spot group stays above every on-demand one', () => {
    const ranked = render({ engine: 'asg' }, [{ name: 'cheap', weight: 50 }, { name: 'plain' }, { name: 'last', weight: 1 }]);
    const priorities = parse(parse(resourceList(ranked.workloadsJson, 'helm_release')[0].values[0]).expanderPriorities);
    const tier = (group: string) => Number(Object.keys(priorities).find((t) => priorities[t].includes(`^demo-${group}$`)));
    expect(['cheap', 'plain', 'last', 'cheap-od', 'plain-od', 'last-od'].map(tier)).toEqual([250, 210, 201, 50, 10, 1]);
    expect(() => synth((s) => new SpotNodeGroup(s, 'g', { cluster, spec: { name: 'a', weight: 5 } }))).toThrow(/^spec\.weight: not supported by the 'asg' engine/);
  });

  it('disruption on the defaults fails naming defaults.disruption', () => {
    expect(() => render({ engine: 'asg', defaults: { disruption: { consolidateAfter: '5m' } } })).toThrow(/^defaults\.disruption: not supported by the 'asg' engine/);
  });
});

describe('bad knob values fail at synth naming the field, what is accepted and the fix', () => {
  it.each<[string, Partial<LaunchSpec>, RegExp]>([
    ['weight 0', { weight: 0 }, /\.weight: 0 is out of range\. Fix: use an integer from 1 to 50/],
    ['weight 51', { weight: 51 }, /\.weight: 51 is out of range/],
    ['a limit of 0 vCPUs', { limits: { maxVcpu: 0 } }, /\.limits\.maxVcpu: 0 is not a positive whole number/],
    ['maxPods 0', { kubelet: { maxPods: 0 } }, /\.kubelet\.maxPods: 0 is out of range/],
    ['a reserved quantity in words', { kubelet: { kubeReserved: { memory: 'half a gig' } } }, /\.kubelet\.kubeReserved\.memory: 'half a gig' is not a Kubernetes quantity/],
    ['the root device as an extra volume', { extraBlockDevices: [{ deviceName: '/dev/xvda', sizeGiB: 10 }] }, /\.extraBlockDevices\[0\]\.deviceName: '\/dev\/xvda' is not a data device name/],
    ['throughput on gp2', { extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 10, volumeType: 'gp2', throughput: 300 }] }, /\.extraBlockDevices\[0\]\.throughput: 300 MiB\/s does not apply to a gp2 volume/],
    ['a duration in days', { disruption: { expireAfter: '30d' } }, /\.disruption\.expireAfter: '30d' is not a duration/],
    ['a budget of many nodes', { disruption: { budgets: [{ nodes: 'many' }] } }, /\.disruption\.budgets\[0\]\.nodes: 'many' is not a node count or percentage/],
    ['a window without duration', { disruption: { budgets: [{ nodes: '0', schedule: '@daily' }] } }, /\.disruption\.budgets\[0\]: sets only one of schedule and duration/],
    ['an unknown disruption reason', { disruption: { budgets: [{ nodes: '1', reasons: ['Bored' as 'Empty'] }] } }, /\.disruption\.budgets\[0\]\.reasons\[0\]: 'Bored' is not a disruption reason/],
    ['an AMI release that is not one', { amiFamily: { kind: 'al2023', version: '2025-01-01' } }, /\.amiFamily\.version: '2025-01-01' is not a al2023 AMI release/],
    ['AMI tags and a version', { amiFamily: { kind: 'al2023', version: 'v20260224', amiTags: { a: 'b' } } }, /\.amiFamily\.amiTags: is set together with version/],
  ])('%s', (_, fields, error) => {
    expect(() => render({ engine: 'karpenter' }, [{ name: 'a', ...fields }])).toThrow(error);
  });
});

describe('the defaults are checked like a launch spec, naming defaults.<field>', () => {
  it.each<[string, OceanDefaults, RegExp]>([
    ['headroom', { headroom: { cpuPerUnit: 100, memoryPerUnit: -1, numOfUnits: 1 } }, /defaults\.headroom\.memoryPerUnit: -1 is not a positive whole number of MiB/],
    ['kubelet', { kubelet: { maxPods: 1000 } }, /defaults\.kubelet\.maxPods: 1000 is out of range/],
    ['disruption', { disruption: { consolidationPolicy: 'Sometimes' as 'WhenEmpty' } }, /defaults\.disruption\.consolidationPolicy: 'Sometimes' is not a policy/],
    ['extra volumes', { extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 0 }] }, /defaults\.extraBlockDevices\[0\]\.sizeGiB: 0 GiB is out of range/],
  ])('%s', (_, defaults, error) => {
    expect(() => render({ engine: 'karpenter', defaults })).toThrow(error);
  });
});
