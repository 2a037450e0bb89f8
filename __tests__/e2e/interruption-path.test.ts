/**
 * One interruption, end to end, on loopback: a spot notice appears in (fake) instance metadata; the
 * real node-manager process invokes the (fake) Lambda endpoint, which runs the real bundled handler
 * against stateful fake AWS. We assert on the resulting AWS state and measure notice → done.
 */
import { CLUSTER_NAME, liveRegistrations, startSystem, type System } from './system';

vi.setConfig({ testTimeout: 90_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A spot notice two minutes out, whole seconds as EC2 writes it. */
function spotNotice(): { action: 'terminate'; time: string } {
  const at = new Date(Math.ceil((Date.now() + 120_000) / 1000) * 1000);
  return { action: 'terminate', time: at.toISOString().replace('.000Z', 'Z') };
}

/** The same notice as EventBridge delivers it (event time = the warning, two minutes before). */
function eventBridgeWarning(instanceId: string, actionTime: string) {
  return {
    version: '0', id: 'e2e-event', source: 'aws.ec2', account: '123456789012', region: 'eu-west-1',
    'detail-type': 'EC2 Spot Instance Interruption Warning',
    time: new Date(Date.parse(actionTime) - 120_000).toISOString().replace('.000Z', 'Z'),
    resources: [`arn:aws:ec2:eu-west-1:123456789012:instance/${instanceId}`],
    detail: { 'instance-id': instanceId, 'instance-action': 'terminate' },
  };
}

/** Shows the notice, waits for the daemon's invoke and for the handler (and its retries) to finish. */
async function interrupt(system: System, alsoEventBridge = false, idleMs = 30_000): Promise<{ noticeToDoneMs: number }> {
  await sleep(300); // a few polls that see no notice yet
  const notice = spotNotice();
  const shownAt = Date.now();
  system.imds.setSpotAction(notice);
  // EC2 marks the Spot request when it issues the warning: what the handler confirms the notice with.
  system.aws.ec2.fate.markForInterruption(system.cluster.node.id);
  if (alsoEventBridge) system.runtime.invokeAsync(eventBridgeWarning(system.cluster.node.id, notice.time));
  await system.lambda.waitForInvocations(1, 10_000);
  await system.runtime.idle(idleMs);
  const doneAt = Math.max(...system.runtime.completions.map((c) => c.at));
  return { noticeToDoneMs: doneAt - shownAt };
}

function expectTakenOutOfService(system: System, deliveries = 1): void {
  const { cluster, aws } = system;
  expect(liveRegistrations(system, [cluster.node.id, ...cluster.nodeIps]).filter((r) => !r.startsWith(cluster.foreignVpcGroup.name))).toEqual([]);
  // Other instances, and the same address in another VPC, are left alone.
  expect(liveRegistrations(system, [cluster.peer.id]).length).toBeGreaterThan(0);
  expect(cluster.foreignVpcGroup.targets.every((t) => t.drainingUntil === undefined)).toBe(true);
  for (const eni of aws.ec2.findNetworkInterface(cluster.node.networkInterfaces[0]!.id)!.instance.networkInterfaces) {
    expect(eni.groups).toEqual([cluster.quarantineSecurityGroupId]);
  }
  // Concurrent deliveries may each silence the host (an idempotent call); the summary stays single.
  expect(system.webhook.requests.length).toBeGreaterThanOrEqual(1);
  expect(system.webhook.requests.length).toBeLessThanOrEqual(deliveries);
  for (const request of system.webhook.requests) {
    expect(JSON.parse(request.body).notice.instanceId).toBe(cluster.node.id);
    expect(request.headers['x-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
  }
  expect(aws.sns.published).toHaveLength(1);
  expect(aws.sns.published[0]!.message).toContain(cluster.node.id);
  expect(system.runtime.failed).toEqual([]);
}

describe('the interruption path, end to end', () => {
  let system: System | undefined;
  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it('takes a spot-interrupted node out of every target group (>400 groups paged), quarantines it, silences monitoring, one summary', async () => {
    // 430 groups of another VPC (paged past, never read) and 20 of the cluster's VPC (read, under AWS's buckets).
    system = await startSystem({ fillerTargetGroups: 430, fillerVpcId: 'vpc-0e0e0e0e0e0e0e0e0', enis: 2 });
    for (let i = 0; i < 20; i++) {
      system.aws.elbv2.addTargetGroup({ name: `vpc-filler-${i}`, vpcId: system.cluster.vpcId, targetType: 'instance', port: 80, targets: [{ id: system.cluster.peer.id }] });
    }
    const { noticeToDoneMs } = await interrupt(system);
    expectTakenOutOfService(system);
    expect(system.aws.callsTo('elbv2', 'DescribeTargetGroups').length).toBeGreaterThanOrEqual(2); // paged
    // Only the cluster VPC's groups are read: 2 NodePort + 2 IP + 20 fillers.
    expect(system.aws.callsTo('elbv2', 'DescribeTargetHealth').filter((c) => !c.errorCode)).toHaveLength(24);
    // The notice stays in IMDS on every poll: still exactly one invoke.
    await sleep(2500);
    expect(system.lambda.invocations).toHaveLength(1);
    expect(system.lambda.invocations[0]!.payload).toMatchObject({ instanceId: system.cluster.node.id, signal: 'spot-interruption', source: 'node-manager' });
    process.stdout.write(`e2e notice-to-done: ${noticeToDoneMs} ms at a 2 s poll interval (target ≤ 5000)\n`);
  });

  it('handles the same notice arriving from node-manager and EventBridge at once with ONE summary', async () => {
    system = await startSystem();
    await interrupt(system, true);
    expectTakenOutOfService(system, 2);
    const statuses = system.runtime.completions.filter((c) => c.ok).map((c) => c.result.status);
    expect(statuses).toContain('done');
    expect(system.runtime.completions.filter((c) => c.ok)).toHaveLength(2);
  });

  it('finishes the job when other clients already spend three quarters of every AWS bucket', async () => {
    system = await startSystem({ fillerTargetGroups: 20 });
    system.aws.rateLimits.configure({ usedByOthers: 0.75 }); // Describe* 10 @ 2.5/s, Deregister 5 @ 1/s left
    // About 10 s alone; a busy machine slows the processes, not the buckets' refill.
    const { noticeToDoneMs } = await interrupt(system, false, 70_000);
    expectTakenOutOfService(system);
    // The pacer started above what was left, met Throttling, and slowed down instead of failing.
    const elbv2 = system.aws.calls.filter((c) => c.service === 'elbv2');
    expect(elbv2.filter((c) => c.errorCode === 'Throttling').length).toBeGreaterThan(0);
    // Three times the share the pacer reserves is gone, so on a busy machine one call may still run out
    // of attempts; then the invocation fails and Lambda's retry finishes it. Never more than that.
    const failed = system.runtime.completions.filter((c) => !c.ok);
    expect(failed.length).toBeLessThanOrEqual(1);
    for (const f of failed) expect(f).toMatchObject({ error: expect.stringMatching(/Throttling/) });
    expect(system.runtime.completions.at(-1)).toMatchObject({ ok: true });
    process.stdout.write(`e2e notice-to-done with ELBv2 throttling: ${noticeToDoneMs} ms, ${system.runtime.completions.length} handler run(s)\n`);
  });

  it('changes nothing for a cluster node AWS is not interrupting (a forged notice), and says so once', async () => {
    system = await startSystem();
    await sleep(300);
    system.imds.setSpotAction(spotNotice()); // the node claims an interruption; EC2 never marked its Spot request
    await system.lambda.waitForInvocations(1, 10_000);
    await system.runtime.idle(30_000);
    const { aws, cluster } = system;
    expect(system.runtime.completions.map((c) => c.result?.status)).toEqual(['refused']);
    expect(aws.callsTo('ec2', 'DescribeSpotInstanceRequests').length).toBeGreaterThanOrEqual(1);
    expect(aws.callsTo('ec2', 'ModifyNetworkInterfaceAttribute')).toEqual([]);
    expect(aws.callsTo('elbv2', 'DeregisterTargets')).toEqual([]);
    expect(system.webhook.requests).toEqual([]);
    expect(aws.sns.published).toHaveLength(1);
    expect(aws.sns.published[0]!.message).toContain('refused: not confirmed by AWS');
    expect(cluster.node.networkInterfaces[0]!.groups).not.toContain(cluster.quarantineSecurityGroupId);
  });

  it('changes nothing for an instance that is not in the cluster', async () => {
    system = await startSystem({ daemonInstance: 'stranger' });
    await interrupt(system);
    const { aws, cluster } = system;
    expect(system.runtime.completions.map((c) => c.result?.status)).toEqual(['refused']);
    expect(aws.callsTo('ec2', 'ModifyNetworkInterfaceAttribute')).toEqual([]);
    expect(aws.callsTo('elbv2', 'DeregisterTargets')).toEqual([]);
    expect(aws.sns.published).toEqual([]);
    expect(system.webhook.requests).toEqual([]);
    expect(liveRegistrations(system, [cluster.stranger.id]).length).toBeGreaterThan(0);
    expect(cluster.stranger.networkInterfaces[0]!.groups).not.toContain(cluster.quarantineSecurityGroupId);
    expect(CLUSTER_NAME).toBe('spot-e2e');
  });
});
