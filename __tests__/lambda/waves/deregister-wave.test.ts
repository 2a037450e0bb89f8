/**
 * A wave shares one scan: every target group is read once for all dying nodes, and one DeregisterTargets
 * per group carries every dying node's targets — NodePorts, custom ports, IP targets on every ENI and
 * inside delegated prefixes included. Runs the real SDK client against the fake ELBv2.
 */
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { FakeAwsError, startFakeAws, type FakeAws } from '../../fakes/aws';
import { DeregisterWave } from '../../../lambda/termination-handler/waves/deregister-wave';
import type { InstanceEni, VerifiedInstance } from '../../../lambda/termination-handler/types';

const VPC = 'vpc-0a1b2c3d4e5f60718';
const node = (n: number, enis: InstanceEni[]): VerifiedInstance => ({ instanceId: `i-00000000000000${n}0a`, vpcId: VPC, enis });
const eni = (id: string, addresses: string[], ipv4Prefixes: string[] = []): InstanceEni => ({ id, addresses, ipv4Prefixes, securityGroupIds: ['sg-0000000000000a001'] });

let aws: FakeAws;
let elbv2: ElasticLoadBalancingV2Client;
beforeEach(async () => {
  aws = await startFakeAws({ rateLimits: false });
  Object.assign(process.env, aws.env);
  elbv2 = new ElasticLoadBalancingV2Client({ region: aws.region, maxAttempts: 1 });
});
afterEach(async () => {
  elbv2.destroy();
  await aws.close();
});

describe('DeregisterWave', () => {
  it('reads each group once and removes every dying node of the wave with one call per group', async () => {
    const a = node(1, [eni('eni-000000000000000a1', ['10.0.1.10', '10.0.1.11']), eni('eni-000000000000000a2', ['10.0.2.20', '10.0.2.21'])]);
    const b = node(2, [eni('eni-000000000000000b1', ['10.0.1.40'], ['10.0.3.16/28'])]);
    const c = node(3, [eni('eni-000000000000000c1', ['10.0.1.70'])]);
    const live = 'i-0fedcba9876543210';
    const nodePort = aws.elbv2.addTargetGroup({ name: 'nodeport', vpcId: VPC, targetType: 'instance', port: 80,
      targets: [{ id: a.instanceId, port: 30080 }, { id: b.instanceId, port: 30080 }, { id: live, port: 30080 }] });
    const twoPorts = aws.elbv2.addTargetGroup({ name: 'two-ports', vpcId: VPC, targetType: 'instance', port: 8080,
      targets: [{ id: c.instanceId, port: 8080 }, { id: c.instanceId, port: 9090 }, { id: live }] });
    const ip = aws.elbv2.addTargetGroup({ name: 'pods', vpcId: VPC, targetType: 'ip', port: 8080,
      targets: [{ id: '10.0.2.21' }, { id: '10.0.3.20' }, { id: '10.0.1.70' }, { id: '10.0.9.9' }] });
    const untouched = aws.elbv2.addTargetGroup({ name: 'others-only', vpcId: VPC, targetType: 'instance', port: 80, targets: [{ id: live }] });
    aws.elbv2.addTargetGroup({ name: 'other-vpc', vpcId: 'vpc-0f0f0f0f0f0f0f0f0', targetType: 'ip', port: 80, targets: [{ id: '10.0.1.10' }] });

    const wave = new DeregisterWave({ elbv2, config: { deregisterConcurrency: 4, noticeWindowSeconds: 120 } });
    const outcomes = await Promise.all([wave.add(a), wave.add(b), wave.add(c)]);

    for (const o of outcomes) expect(o.failures).toEqual([]);
    expect(aws.callsTo('elbv2', 'DescribeTargetGroups')).toHaveLength(1);
    expect(aws.callsTo('elbv2', 'DescribeTargetHealth').map((x) => x.input.TargetGroupArn).sort()).toEqual([nodePort, twoPorts, ip, untouched].map((g) => g.arn).sort());
    const deregistered = aws.callsTo('elbv2', 'DeregisterTargets');
    expect(deregistered.map((x) => x.input.TargetGroupArn).sort()).toEqual([nodePort, twoPorts, ip].map((g) => g.arn).sort());
    // Every dying registration draining, on its own port; the live ones untouched.
    const draining = (g: typeof nodePort) => g.targets.filter((t) => t.drainingUntil !== undefined).map((t) => `${t.id}:${t.port}`).sort();
    expect(draining(nodePort)).toEqual([`${a.instanceId}:30080`, `${b.instanceId}:30080`]);
    expect(draining(twoPorts)).toEqual([`${c.instanceId}:8080`, `${c.instanceId}:9090`]);
    expect(draining(ip)).toEqual(['10.0.1.70:8080', '10.0.2.21:8080', '10.0.3.20:8080']);
    expect(draining(untouched)).toEqual([]);

    expect(outcomes[0]!.detail).toMatchObject({ waveSize: 3, groupsInVpc: 4, targetsDeregistered: 2, lastDeregisteredAt: expect.any(String) });
    expect(outcomes[1]!.detail!.groupsTouched.map((g) => g.name).sort()).toEqual(['nodeport', 'pods']);
    expect(wave.calls).toMatchObject({ DescribeTargetGroups: 1, DescribeTargetHealth: 4, DeregisterTargets: 3 });
  });

  it('serves a node that joins after the groups were read from the same listings, without reading them again', async () => {
    const a = node(1, [eni('eni-000000000000000a1', ['10.0.1.10'])]);
    const late = node(2, [eni('eni-000000000000000b1', ['10.0.1.40'])]);
    const g = aws.elbv2.addTargetGroup({ name: 'shared', vpcId: VPC, targetType: 'ip', port: 80, targets: [{ id: '10.0.1.10' }, { id: '10.0.1.40' }] });
    const wave = new DeregisterWave({ elbv2, config: { deregisterConcurrency: 4, noticeWindowSeconds: 120 } });
    await wave.add(a);
    const outcome = await wave.add(late);
    expect(outcome.failures).toEqual([]);
    expect(aws.callsTo('elbv2', 'DescribeTargetHealth')).toHaveLength(1);
    expect(g.targets.every((t) => t.drainingUntil !== undefined)).toBe(true);
    expect(outcome.detail).toMatchObject({ waveSize: 2, targetsDeregistered: 1 });
  });

  it('reports a group it could not read as work left undone for every node of the wave', async () => {
    const a = node(1, [eni('eni-000000000000000a1', ['10.0.1.10'])]);
    const b = node(2, [eni('eni-000000000000000b1', ['10.0.1.40'])]);
    aws.elbv2.addTargetGroup({ name: 'broken', vpcId: VPC, targetType: 'ip', port: 80, targets: [{ id: '10.0.1.10' }] });
    aws.faults.throttle('elbv2', { action: 'DescribeTargetHealth', times: 1 });
    const wave = new DeregisterWave({ elbv2, config: { deregisterConcurrency: 4, noticeWindowSeconds: 120 } });
    const [oa, ob] = await Promise.all([wave.add(a), wave.add(b)]);
    for (const o of [oa!, ob!]) expect(o.failures).toEqual([expect.objectContaining({ operation: 'DescribeTargetHealth', kind: 'throttled' })]);
  });

  describe('cluster-tag discovery', () => {
    const lbc = { 'elbv2.k8s.aws/cluster': 'demo' };
    const seed = () => {
      const a = node(1, [eni('eni-000000000000000a1', ['10.0.1.10']), eni('eni-000000000000000a2', ['10.0.2.20'], ['10.0.4.0/28'])]);
      const groups = {
        nodePort: aws.elbv2.addTargetGroup({ name: 'lbc-nodeport', vpcId: VPC, targetType: 'instance', port: 80, tags: lbc, targets: [{ id: a.instanceId, port: 31234 }] }),
        customPort: aws.elbv2.addTargetGroup({ name: 'lbc-custom', vpcId: VPC, targetType: 'instance', port: 8080, tags: lbc, targets: [{ id: a.instanceId, port: 9443 }] }),
        ipOtherEni: aws.elbv2.addTargetGroup({ name: 'lbc-ip', vpcId: VPC, targetType: 'ip', port: 8080, tags: lbc, targets: [{ id: '10.0.2.20' }, { id: '10.0.4.7' }] }),
        terraformMade: aws.elbv2.addTargetGroup({ name: 'tf-made', vpcId: VPC, targetType: 'instance', port: 80, targets: [{ id: a.instanceId }] }),
        otherCluster: aws.elbv2.addTargetGroup({ name: 'other-cluster', vpcId: VPC, targetType: 'instance', port: 80, tags: { 'elbv2.k8s.aws/cluster': 'other' }, targets: [{ id: 'i-0fedcba9876543210' }] }),
        untagged: Array.from({ length: 25 }, (_, i) => aws.elbv2.addTargetGroup({ name: `shared-${i}`, vpcId: VPC, targetType: 'ip', port: 80, targets: [{ id: '10.0.9.9' }] })),
      };
      return { a, groups };
    };
    const draining = (g: { targets: { drainingUntil?: number; id: string; port: number }[] }) => g.targets.filter((t) => t.drainingUntil !== undefined).map((t) => `${t.id}:${t.port}`);

    it("reads only the controller's groups of this cluster and the configured ones, and still finds NodePort, custom-port and IP targets", async () => {
      const { a, groups } = seed();
      const wave = new DeregisterWave({
        elbv2, config: { deregisterConcurrency: 4, noticeWindowSeconds: 120 },
        discovery: { mode: 'cluster-tag', clusterName: 'demo', extraArns: [groups.terraformMade.arn] },
      });
      const outcome = await wave.add(a);
      expect(outcome.failures).toEqual([]);
      expect(aws.callsTo('elbv2', 'DescribeTags')).toHaveLength(2); // 30 groups, 20 a call
      expect(aws.callsTo('elbv2', 'DescribeTargetHealth').map((c) => c.input.TargetGroupArn).sort())
        .toEqual([groups.nodePort, groups.customPort, groups.ipOtherEni, groups.terraformMade].map((g) => g.arn).sort());
      expect(draining(groups.nodePort)).toEqual([`${a.instanceId}:31234`]);
      expect(draining(groups.customPort)).toEqual([`${a.instanceId}:9443`]);
      expect(draining(groups.ipOtherEni).sort()).toEqual(['10.0.2.20:8080', '10.0.4.7:8080']); // second ENI, delegated prefix
      expect(draining(groups.terraformMade)).toEqual([`${a.instanceId}:80`]);
      expect(outcome.detail).toMatchObject({ groupsInVpc: 4, targetsDeregistered: 5 });
    });

    it('reads every group of the VPC when DescribeTags fails: never fewer groups than asked for', async () => {
      const { a, groups } = seed();
      aws.faults.fail('elbv2', new FakeAwsError('InternalFailure', 'boom', 500), { action: 'DescribeTags' });
      const wave = new DeregisterWave({ elbv2, config: { deregisterConcurrency: 4, noticeWindowSeconds: 120 }, discovery: { mode: 'cluster-tag', clusterName: 'demo' } });
      const outcome = await wave.add(a);
      expect(outcome.failures).toEqual([]);
      expect(aws.callsTo('elbv2', 'DescribeTargetHealth')).toHaveLength(30);
      expect(draining(groups.terraformMade)).toEqual([`${a.instanceId}:80`]);
    });
  });
});
