/**
 * The fake's token buckets: burst, refill, the share used by others, one bucket shared by every client,
 * and AWS's own throttling errors as the real SDK sees them.
 */
import { DescribeInstancesCommand, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { DeregisterTargetsCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildCluster, manualClock, RateLimits, type Cluster, type ManualClock } from '../fakes/aws';
import { startHarness, type Harness } from './harness';

describe('RateLimits (AWS token buckets)', () => {
  it('allows the burst, then refills at the documented rate, never above the burst', () => {
    let now = 0;
    const limits = new RateLimits({ now: () => now });
    const takeAll = (action: string) => {
      let n = 0;
      while (limits.take('elbv2', action)) n++;
      return n;
    };
    expect(takeAll('DescribeTargetHealth')).toBe(40);
    // Describe* share one bucket: another Describe action finds it empty too.
    expect(limits.take('elbv2', 'DescribeTargetGroups')).toBe(false);
    now += 1000;
    expect(takeAll('DescribeTargetGroups')).toBe(10);
    now += 60_000;
    expect(takeAll('DescribeTargetHealth')).toBe(40); // capped at the burst
    expect(takeAll('DeregisterTargets')).toBe(20);
    expect(limits.take('elbv2', 'RegisterTargets')).toBe(false); // Register and Deregister share
    now += 2500;
    expect(takeAll('RegisterTargets')).toBe(10);
  });

  it('gives EC2 one bucket per action: 100 @ 20/s non-mutating, 50 @ 5/s mutating', () => {
    let now = 0;
    const limits = new RateLimits({ now: () => now });
    const takeAll = (action: string) => {
      let n = 0;
      while (limits.take('ec2', action)) n++;
      return n;
    };
    expect(takeAll('DescribeInstances')).toBe(100);
    expect(takeAll('DescribeNetworkInterfaces')).toBe(100);
    expect(takeAll('ModifyNetworkInterfaceAttribute')).toBe(50);
    now += 1000;
    expect(takeAll('ModifyNetworkInterfaceAttribute')).toBe(5);
    expect(takeAll('DescribeInstances')).toBe(20);
  });

  it('leaves only the unused share to us when others spend part of every bucket', () => {
    let now = 0;
    const limits = new RateLimits({ now: () => now, usedByOthers: 0.25 });
    let n = 0;
    while (limits.take('elbv2', 'DeregisterTargets')) n++;
    expect(n).toBe(15);
    now += 10_000;
    n = 0;
    while (limits.take('elbv2', 'DeregisterTargets')) n++;
    expect(n).toBe(15); // 30 refilled, capped at 15
    now += 1000;
    n = 0;
    while (limits.take('elbv2', 'DeregisterTargets')) n++;
    expect(n).toBe(3);
    expect(limits.statsByBucket()['elbv2:RegisterTargets|DeregisterTargets']).toEqual({ allowed: 33, throttled: 3 });
  });

  it('rejects a share outside 0 ≤ s < 1', () => {
    expect(() => new RateLimits({ usedByOthers: 1 })).toThrow(/usedByOthers must be a share from 0 to below 1, got 1/);
  });
});

describe('the fake server enforces the buckets for every client', () => {
  let h: Harness;
  let clock: ManualClock;
  let cluster: Cluster;
  beforeAll(async () => {
    clock = manualClock();
    h = await startHarness({ clock: clock.now });
    cluster = buildCluster(h.aws);
  });
  afterAll(() => h.close());

  it('answers an empty ELBv2 bucket with Throttling and an empty EC2 bucket with RequestLimitExceeded', async () => {
    h.aws.rateLimits.configure({ usedByOthers: 0 });
    const a = h.clients({ maxAttempts: 1 });
    const b = h.clients({ maxAttempts: 1 }); // a second client of the same account spends the same bucket
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) => (i % 2 ? a : b).elbv2.send(
        new DeregisterTargetsCommand({ TargetGroupArn: cluster.instanceGroups[0]!.arn, Targets: [{ Id: cluster.peer.id, Port: 30080 }] }),
      )),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(5);
    for (const r of rejected) expect(r.reason).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $metadata: expect.objectContaining({ httpStatusCode: 400 }) });
    // The Describe* bucket is a different one: still full.
    await expect(a.elbv2.send(new DescribeTargetGroupsCommand({}))).resolves.toBeDefined();
    clock.advance(500); // 2 tokens
    const after = await Promise.allSettled([1, 2, 3].map(() => a.elbv2.send(
      new DeregisterTargetsCommand({ TargetGroupArn: cluster.instanceGroups[0]!.arn, Targets: [{ Id: cluster.peer.id, Port: 30080 }] }),
    )));
    expect(after.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);

    const eni = cluster.node.networkInterfaces[0]!.id;
    const modify = await Promise.allSettled(Array.from({ length: 51 }, () =>
      a.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Groups: [cluster.nodeSecurityGroupId] }))));
    const ec2Rejected = modify.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ec2Rejected).toHaveLength(1);
    expect(ec2Rejected[0]!.reason).toMatchObject({ name: 'RequestLimitExceeded' });
    await expect(a.ec2.send(new DescribeInstancesCommand({ InstanceIds: [cluster.node.id] }))).resolves.toBeDefined();
    expect(h.aws.calls.filter((c) => c.errorCode === 'Throttling')).toHaveLength(6);
  });
});
