/**
 * A scheduled-maintenance event, end to end: node-manager sees it in (fake) IMDS and the real bundled
 * handler quarantines the instance; AWS cancels the event, node-manager tells the Lambda (action
 * `cancel`, the same key), and the handler puts back the security groups it recorded.
 */
import { startSystem, type System } from './system';

jest.setTimeout(60_000);

describe('a cancelled scheduled-maintenance event, end to end', () => {
  let system: System | undefined;
  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it('schedule → quarantine → cancel → the recorded security groups are back, one cancel', async () => {
    system = await startSystem({ actOn: 'scheduled-maintenance', pollIntervalMs: 200, enis: 2 });
    const { aws, cluster, imds, lambda, runtime } = system;
    const enis = cluster.node.networkInterfaces.map((e) => aws.ec2.findNetworkInterface(e.id)!.eni);
    const before = enis.map((e) => [...e.groups]);
    expect(before.flat()).not.toContain(cluster.quarantineSecurityGroupId);

    const at = new Date(Math.floor((Date.now() + 3 * 24 * 3600_000) / 1000) * 1000);
    const event = { id: 'instance-event-0d59937288b749b32', code: 'system-reboot', notBefore: at.toISOString() };
    aws.ec2.fate.scheduledEvents.set(cluster.node.id, [{ ...event, description: 'The instance is scheduled for a reboot' }]);
    imds.setScheduledEvents([{ Code: 'system-reboot', EventId: event.id, NotBefore: at.toUTCString(), State: 'active' }]);
    await lambda.waitForInvocations(1, 10_000);
    await runtime.idle(30_000);
    expect(enis.map((e) => e.groups)).toEqual(enis.map(() => [cluster.quarantineSecurityGroupId]));

    aws.ec2.fate.scheduledEvents.set(cluster.node.id, [{ ...event, description: '[Canceled] The instance is scheduled for a reboot' }]);
    imds.setScheduledEvents([{ Code: 'system-reboot', EventId: event.id, NotBefore: at.toUTCString(), State: 'canceled' }]);
    await lambda.waitForInvocations(2, 10_000);
    await runtime.idle(30_000);
    expect(enis.map((e) => [...e.groups].sort())).toEqual(before.map((g) => [...g].sort()));
    expect(lambda.invocations.map((c) => (c.payload as { action: string }).action)).toEqual(['reboot', 'cancel']);
    expect(runtime.failed).toEqual([]);
    expect(runtime.completions.map((c) => c.result)).toEqual([
      expect.objectContaining({ status: 'done', steps: expect.objectContaining({ quarantine: 'succeeded' }) }),
      expect.objectContaining({ status: 'done', steps: { restore: 'succeeded' } }),
    ]);

    await new Promise((r) => setTimeout(r, 1500)); // more polls listing the canceled event: nothing more sent
    expect(lambda.calls).toHaveLength(2);
  });
});
