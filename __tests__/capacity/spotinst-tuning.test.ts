/** The tuning knobs under the spotinst engine: where Ocean renders each one, and synth errors for what it cannot express. */
import { parse } from 'yaml';
import { durationSeconds } from '../../constructs/capacity/engines/spotinst/mapping';
import { checkSynthesizedStack } from '../../constructs/capacity/engines/spotinst/schema/check';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { SYSTEM_TAINT } from '../../constructs/capacity/launch-spec';
import { fromBase64, nodeConfigOf } from './decode';
import { fits } from './scheduling';
import { cpuSpec, render, resourceList, sharedDefaults } from './ocean-fixtures';

const byName = (json: any): Record<string, any> => Object.fromEntries(resourceList(json, 'spotinst_ocean_aws_launch_spec').map((s) => [s.name, s]));
const ssmNames = (json: any): string[] => Object.values<any>(json.data?.aws_ssm_parameter ?? {}).map((p) => p.name);

const tuned: LaunchSpec = {
  name: 'tuned',
  labels: { workload: 'tuned' },
  kubelet: { maxPods: 58, kubeReserved: { cpu: '100m', memory: '512Mi' }, systemReserved: { memory: '256Mi', ephemeralStorage: '1Gi' } },
  extraBlockDevices: [
    { deviceName: '/dev/xvdc', sizeGiB: 200, volumeType: 'gp3', iops: 6000, throughput: 250, kmsKeyId: 'alias/data' },
    { deviceName: '/dev/xvdd', sizeGiB: 500, volumeType: 'st1' },
  ],
  disruption: { terminationGracePeriod: '1h30m' },
  amiFamily: { kind: 'al2023', version: 'v20251101' },
};
const br: LaunchSpec = { name: 'br', amiFamily: { kind: 'bottlerocket', version: 'v1.54.0' }, kubelet: { maxPods: 29 }, extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 100 }] };

describe('spotinst renders the knobs a launch spec can express', () => {
  const r = render({ engine: 'spotinst', defaults: sharedDefaults }, [tuned, br, cpuSpec, { name: 'latest', amiFamily: { kind: 'al2023', version: 'latest' } }, { name: 'same', amiFamily: { kind: 'al2023', version: 'v20251101' } }]);
  const specs = byName(r.clusterJson);

  it('every resource passes the provider schema snapshot', () => {
    expect(checkSynthesizedStack(r.clusterJson)).toEqual([]);
  });

  it('extra volumes: encrypted, deleted with the node, after the root volume (after xvdb on Bottlerocket), on the spot spec and its twin', () => {
    for (const name of ['tuned', 'tuned-od']) {
      expect(specs[name].block_device_mappings.map((b: any) => b.device_name)).toEqual(['/dev/xvda', '/dev/xvdc', '/dev/xvdd']);
      expect(specs[name].block_device_mappings[1]).toEqual({
        device_name: '/dev/xvdc',
        ebs: [{ volume_size: 200, volume_type: 'gp3', iops: 6000, throughput: 250, encrypted: true, delete_on_termination: true, kms_key_id: 'alias/data' }],
      });
      expect(specs[name].block_device_mappings[2].ebs).toEqual([{ volume_size: 500, volume_type: 'st1', encrypted: true, delete_on_termination: true }]);
    }
    expect(specs.br.block_device_mappings.map((b: any) => [b.device_name, b.ebs[0].volume_size])).toEqual([['/dev/xvda', 4], ['/dev/xvdb', 50], ['/dev/xvdc', 100]]);
    expect(specs.cpu.block_device_mappings).toHaveLength(1);
  });

  it('kubelet settings in the user data: the nodeadm NodeConfig (AL2023), the settings TOML (Bottlerocket)', () => {
    for (const name of ['tuned', 'tuned-od']) {
      expect(nodeConfigOf(specs[name].user_data).spec.kubelet).toMatchObject({
        config: { maxPods: 58, kubeReserved: { cpu: '100m', memory: '512Mi' }, systemReserved: { memory: '256Mi', 'ephemeral-storage': '1Gi' } },
      });
    }
    expect(fromBase64(specs.br.user_data)).toContain('max-pods = 29');
    expect(nodeConfigOf(specs.cpu.user_data).spec.kubelet).not.toHaveProperty('config');
  });

  it("the termination grace period is the launch spec's draining timeout, in seconds", () => {
    expect(specs.tuned.strategy).toEqual([{ spot_percentage: 100, draining_timeout: 5400 }]);
    expect(specs['tuned-od'].strategy).toEqual([{ spot_percentage: 0, draining_timeout: 5400 }]);
    expect(specs.cpu.strategy).toEqual([{ spot_percentage: 100 }]);
  });

  it('one AMI lookup per release: specs pinned to different releases boot different AMIs, the same release shares one', () => {
    expect(specs.tuned.image_id).not.toBe(specs.cpu.image_id);
    expect(specs.latest.image_id).not.toBe(specs.cpu.image_id);
    expect(specs.same.image_id).toBe(specs.tuned.image_id);
    expect(specs.br.image_id).not.toBe(specs.cpu.image_id);
    const names = ssmNames(r.clusterJson);
    expect(names).toHaveLength(new Set(names).size);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/al2023-x86_64-standard-1\.33-v20251101\/image_id$/),
        expect.stringMatching(/al2023-x86_64-standard-1\.33-v20260224\/image_id$/),
        expect.stringMatching(/\/standard\/recommended\/image_id$/),
        '/aws/service/bottlerocket/aws-k8s-1.33/x86_64/1.54.0/image_id',
      ]),
    );
    // Each launch spec reads the parameter of its own release.
    const reader = (ref: string) => r.clusterJson.data.aws_ssm_parameter[/data\.aws_ssm_parameter\.([^.]+)\./.exec(ref)![1]].name;
    expect(reader(specs.tuned.image_id)).toContain('-v20251101/');
    expect(reader(specs.cpu.image_id)).toContain('-v20260224/');
  });

  it('the defaults: extra volumes and kubelet on the Ocean template and every launch spec that inherits them; limits cap the whole Ocean', () => {
    const defaults = { ...sharedDefaults, kubelet: { maxPods: 40 }, extraBlockDevices: [{ deviceName: '/dev/xvdf', sizeGiB: 20 }], limits: { maxVcpu: 256 }, disruption: { terminationGracePeriod: '10m' } };
    const d = render({ engine: 'spotinst', defaults }, [cpuSpec]);
    const [ocean] = resourceList(d.clusterJson, 'spotinst_ocean_aws');
    expect(ocean.block_device_mappings.map((b: any) => b.device_name)).toEqual(['/dev/xvda', '/dev/xvdf']);
    expect(nodeConfigOf(ocean.user_data).spec.kubelet).toMatchObject({ config: { maxPods: 40 } });
    expect(ocean.autoscaler[0].resource_limits).toEqual([{ max_vcpu: 256 }]);
    const cpu = byName(d.clusterJson).cpu;
    expect(cpu.block_device_mappings.map((b: any) => b.device_name)).toEqual(['/dev/xvda', '/dev/xvdf']);
    expect(nodeConfigOf(cpu.user_data).spec.kubelet).toMatchObject({ config: { maxPods: 40 } });
    expect(cpu.strategy).toEqual([{ spot_percentage: 100, draining_timeout: 600 }]);
    expect(checkSynthesizedStack(d.clusterJson)).toEqual([]);
  });

  it('a 100% on-demand share is one on-demand launch spec, without a twin (capacityVariants)', () => {
    const od = byName(render({ engine: 'spotinst' }, [{ name: 'all-od', capacity: { type: 'spot-with-fallback', onDemandPercentageAboveBase: 100 } }]).clusterJson);
    expect(Object.keys(od)).toEqual(['all-od']);
    expect(od['all-od'].strategy).toEqual([{ spot_percentage: 0 }]);
    expect(od['all-od'].labels).toContainEqual({ key: 'node-lifecycle', value: 'on-demand' });
  });
});

describe('what a Spot Ocean launch spec cannot express fails at synth, naming the field and the engine', () => {
  it.each<[string, LaunchSpec, RegExp]>([
    ['weight', { name: 'a', weight: 20 }, /^launchSpecs\['a'\]\.weight: not supported by the 'spotinst' engine — .*Fix: remove weight/],
    ['per-spec limits', { name: 'a', limits: { maxVcpu: 64 } }, /^launchSpecs\['a'\]\.limits: not supported by the 'spotinst' engine — .*Fix: bound the spec with maxSize, or cap the whole Ocean with defaults\.limits/],
    ['AMIs by tag', { name: 'a', amiFamily: { kind: 'bottlerocket', amiTags: { team: 'x' } } }, /^launchSpecs\['a'\]\.amiFamily\.amiTags: not supported by the 'spotinst' engine — nodes boot one AMI id, not a tag query/],
    ['kubelet on a custom AMI', { name: 'a', amiFamily: { kind: 'custom', amiId: 'ami-0123456789abcdef0' }, kubelet: { maxPods: 10 } }, /^launchSpecs\['a'\]\.kubelet: not supported by the 'spotinst' engine/],
    ['a consolidation policy', { name: 'a', disruption: { consolidationPolicy: 'WhenEmpty' } }, /^launchSpecs\['a'\]\.disruption\.consolidationPolicy: not supported by the 'spotinst' engine/],
    ['a consolidation wait', { name: 'a', disruption: { consolidateAfter: '5m' } }, /^launchSpecs\['a'\]\.disruption\.consolidateAfter: not supported by the 'spotinst' engine/],
    ['disruption budgets', { name: 'a', disruption: { budgets: [{ nodes: '1' }] } }, /^launchSpecs\['a'\]\.disruption\.budgets: not supported by the 'spotinst' engine/],
    ['node expiry', { name: 'a', disruption: { expireAfter: '720h', terminationGracePeriod: '1h' } }, /^launchSpecs\['a'\]\.disruption\.expireAfter: not supported by the 'spotinst' engine.*Fix: remove it \(terminationGracePeriod/],
  ])('%s', (_, bad, error) => {
    expect(() => render({ engine: 'spotinst' }, [bad])).toThrow(error);
  });

  it('the defaults fail naming defaults.<field>, even with no launch spec', () => {
    expect(() => render({ engine: 'spotinst', defaults: { disruption: { expireAfter: '24h' } } })).toThrow(/^defaults\.disruption\.expireAfter: not supported by the 'spotinst' engine/);
    expect(() => render({ engine: 'spotinst', defaults: { amiFamily: { kind: 'al2023', amiTags: { a: 'b' } } } })).toThrow(/^defaults\.amiFamily\.amiTags: not supported by the 'spotinst' engine/);
    expect(() => render({ engine: 'spotinst', defaults: { amiFamily: { kind: 'custom', amiId: 'ami-0123456789abcdef0' }, kubelet: { maxPods: 20 } } })).toThrow(/^defaults\.kubelet: not supported by the 'spotinst' engine/);
  });
});

describe('the Ocean controller', () => {
  const r = render({ engine: 'spotinst' }, [cpuSpec]);
  const [controller] = resourceList(r.workloadsJson, 'helm_release');
  const values = parse(controller.values[0]);

  it('tolerates the system taint CriticalAddonsOnly, so it starts on the tainted system nodes', () => {
    expect(values.tolerations).toContainEqual({ key: 'CriticalAddonsOnly', operator: 'Exists' });
    const systemNode = { name: 'system', labels: { 'node-role': 'system' }, taints: [SYSTEM_TAINT] };
    expect(fits({ tolerations: values.tolerations }, systemNode)).toBe(true);
    expect(fits({}, systemNode)).toBe(false);
  });

  it("keeps the chart's default tolerations of an unready or unreachable node, which a tolerations value replaces", () => {
    expect(values.tolerations).toEqual(
      expect.arrayContaining([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 150 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 150 },
      ]),
    );
  });
});

describe('durationSeconds', () => {
  it.each<[string, number]>([
    ['30s', 30],
    ['10m', 600],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h0m15s', 3615],
  ])('%s is %d seconds', (duration, seconds) => {
    expect(durationSeconds(duration)).toBe(seconds);
  });
});
