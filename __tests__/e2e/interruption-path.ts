/**
 * One interruption, end to end, on loopback: a spot notice appears in (fake) instance metadata; the
 * real node-manager process invokes the (fake) Lambda endpoint, which runs the real bundled handler
 * against stateful fake AWS. What the interruption-path.*.test.ts files share: each file is one
 * scenario on its own system, so vitest runs the scenarios in parallel, in separate workers.
 */
import type { onTestFinished as OnTestFinished } from 'vitest';
import { liveRegistrations, startSystem, type System, type SystemOptions } from './system';

/** Each scenario file's test timeout (the throttled run waits up to 70 s for its handler). */
export const SCENARIO_TIMEOUT_MS = 90_000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a system for the running test and stops it when that test finishes (passed or failed).
 * `onTestFinished` is the test's own hook (from its context or vitest's global).
 */
export async function startScenario(onTestFinished: typeof OnTestFinished, options: SystemOptions = {}): Promise<System> {
  const system = await startSystem(options);
  onTestFinished(() => system.stop());
  return system;
}

/** A spot notice two minutes out, whole seconds as EC2 writes it. */
export function spotNotice(): { action: 'terminate'; time: string } {
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
export async function interrupt(system: System, alsoEventBridge = false, idleMs = 30_000): Promise<{ noticeToDoneMs: number }> {
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

export function expectTakenOutOfService(system: System, deliveries = 1): void {
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
