import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeTargetGroups,
  TargetGroupNotFoundException,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { buildCluster, manualClock, type Cluster } from '../fakes/aws';
import { startHarness, type Harness } from './harness';

const clock = manualClock();
let h: Harness;
let cluster: Cluster;

beforeAll(async () => {
  h = await startHarness({ clock: clock.now });
  cluster = buildCluster(h.aws, { fillerTargetGroups: 450, deregistrationDelaySeconds: 30 });
});
afterAll(() => h.close());
beforeEach(() => h.aws.faults.clear());

async function health(arn: string, targets?: Array<{ Id: string; Port?: number }>) {
  const out = await h.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn, Targets: targets }));
  return out.TargetHealthDescriptions ?? [];
}

describe('fake ELBv2 through the real SDK (awsQuery)', () => {
  it('pages through more than 400 target groups with PageSize and Marker', async () => {
    const before = h.aws.callsTo('elbv2', 'DescribeTargetGroups').length;
    const seen: TargetGroup[] = [];
    // The SDK's paginator ignores its `pageSize` option for this operation: PageSize goes in the input.
    for await (const page of paginateDescribeTargetGroups({ client: h.elbv2 }, { PageSize: 400 })) {
      expect(page.TargetGroups!.length).toBeLessThanOrEqual(400);
      seen.push(...page.TargetGroups!);
    }
    expect(seen).toHaveLength(h.aws.elbv2.targetGroups.size);
    expect(new Set(seen.map((g) => g.TargetGroupArn)).size).toBe(seen.length);
    expect(h.aws.callsTo('elbv2', 'DescribeTargetGroups').length - before).toBe(2);
    const nodePortGroup = seen.find((g) => g.TargetGroupArn === cluster.instanceGroups[0]!.arn)!;
    expect(nodePortGroup).toMatchObject({ TargetType: 'instance', Port: 30080, VpcId: cluster.vpcId });
    expect(nodePortGroup.LoadBalancerArns).toHaveLength(1);
  });

  it('honours smaller page sizes and rejects one above 400 with a ValidationError', async () => {
    const pages = paginateDescribeTargetGroups({ client: h.elbv2 }, { PageSize: 401 });
    await expect(pages.next()).rejects.toMatchObject({ name: 'ValidationError' });
    let count = 0;
    for await (const page of paginateDescribeTargetGroups({ client: h.elbv2 }, { PageSize: 100 })) count += page.TargetGroups!.length;
    expect(count).toBe(h.aws.elbv2.targetGroups.size);
  });

  it('reports only the asked targets, and unregistered ones as unused', async () => {
    const ipGroup = cluster.ipGroups[0]!;
    const podIp = cluster.nodeIps[1]!;
    expect(await health(ipGroup.arn, [{ Id: podIp }, { Id: '10.9.9.9' }])).toEqual([
      expect.objectContaining({ Target: expect.objectContaining({ Id: podIp, Port: 8080 }), TargetHealth: { State: 'healthy' } }),
      expect.objectContaining({ Target: expect.objectContaining({ Id: '10.9.9.9' }), TargetHealth: expect.objectContaining({ State: 'unused', Reason: 'Target.NotRegistered' }) }),
    ]);
    const all = await health(ipGroup.arn);
    expect(all.map((d) => d.Target!.Id)).toContain(podIp);
  });

  it('deregisters a NodePort target only when named with its port, then drains it for the delay', async () => {
    const group = cluster.instanceGroups[1]!; // default port 80, targets on 30443
    const node = { Id: cluster.node.id };
    await h.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group.arn, Targets: [node] }));
    expect((await health(group.arn, [{ ...node, Port: 30443 }]))[0]!.TargetHealth!.State).toBe('healthy');

    await h.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group.arn, Targets: [{ ...node, Port: 30443 }] }));
    expect((await health(group.arn, [{ ...node, Port: 30443 }]))[0]!.TargetHealth).toMatchObject({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
    });
    clock.advance(30_001);
    const after = await health(group.arn);
    expect(after.map((d) => d.Target!.Id)).not.toContain(cluster.node.id);
    expect(after.map((d) => d.Target!.Id)).toContain(cluster.peer.id);
  });

  it('returns the group attributes, including the deregistration delay', async () => {
    const out = await h.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: cluster.ipGroups[0]!.arn }));
    expect(out.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '30' });
  });

  it('maps unknown groups and wrong target kinds to the modeled errors', async () => {
    const missing = cluster.ipGroups[0]!.arn.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff');
    await expect(health(missing)).rejects.toBeInstanceOf(TargetGroupNotFoundException);
    await expect(
      h.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: cluster.ipGroups[0]!.arn, Targets: [{ Id: cluster.node.id }] })),
    ).rejects.toMatchObject({ name: 'InvalidTargetException' });
  });

  it('surfaces injected throttling as the Throttling error, and the SDK retries it', async () => {
    const once = h.clients({ maxAttempts: 1 }).elbv2;
    h.aws.faults.throttle('elbv2', { action: 'DescribeTargetHealth', times: 1 });
    await expect(once.send(new DescribeTargetHealthCommand({ TargetGroupArn: cluster.ipGroups[0]!.arn }))).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    });

    h.aws.faults.throttle('elbv2', { action: 'DescribeTargetHealth', times: 2 });
    const before = h.aws.callsTo('elbv2', 'DescribeTargetHealth').length;
    await expect(health(cluster.ipGroups[0]!.arn)).resolves.not.toHaveLength(0);
    const calls = h.aws.callsTo('elbv2', 'DescribeTargetHealth').slice(before);
    expect(calls.map((c) => c.errorCode)).toEqual(['Throttling', 'Throttling', undefined]);
  });

  it('throttles a repeatable fraction of calls', async () => {
    const once = h.clients({ maxAttempts: 1 }).elbv2;
    h.aws.faults.throttle('elbv2', { action: 'DescribeTargetGroupAttributes', fraction: 0.5 });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => once.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: cluster.ipGroups[0]!.arn }))),
    );
    const throttled = results.filter((r) => r.status === 'rejected');
    expect(throttled.length).toBeGreaterThan(5);
    expect(throttled.length).toBeLessThan(35);
    for (const r of throttled) expect((r as PromiseRejectedResult).reason.name).toBe('Throttling');
  });
});
