/**
 * A scheduled-maintenance event, end to end: node-manager sees it in (fake) IMDS and the real bundled
 * handler quarantines the instance; AWS cancels the event, node-manager tells the Lambda (action
 * `cancel`, the same key), and the handler puts back the security groups it recorded.
 */
import { startSystem, type System } from './system';

vi.setConfig({ testTimeout: 60_000 });

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

  it('a rescheduled event keeps the quarantine; when it is cancelled too, both notices are cancelled and the first record restores the groups', async () => {
    system = await startSystem({ actOn: 'scheduled-maintenance', pollIntervalMs: 200 });
    const { aws, cluster, imds, lambda, runtime } = system;
    const eni = aws.ec2.findNetworkInterface(cluster.node.networkInterfaces[0]!.id)!.eni;
    const before = [...eni.groups].sort();
    const time = (days: number) => new Date(Math.floor((Date.now() + days * 24 * 3600_000) / 1000) * 1000);
    const show = (at: Date, canceled = false) => {
      const event = { id: 'instance-event-0d59937288b749b32', code: 'system-reboot', notBefore: at.toISOString() };
      aws.ec2.fate.scheduledEvents.set(cluster.node.id, [{ ...event, description: `${canceled ? '[Canceled] ' : ''}The instance is scheduled for a reboot` }]);
      imds.setScheduledEvents([{ Code: 'system-reboot', EventId: event.id, NotBefore: at.toUTCString(), State: canceled ? 'canceled' : 'active' }]);
    };
    show(time(3));
    await lambda.waitForInvocations(1, 10_000);
    await runtime.idle(30_000);
    show(time(5)); // AWS moved the event: a new NotBefore, a new notice
    await lambda.waitForInvocations(2, 10_000);
    await runtime.idle(30_000);
    expect(eni.groups).toEqual([cluster.quarantineSecurityGroupId]);

    show(time(5), true);
    await lambda.waitForInvocations(4, 10_000);
    await runtime.idle(30_000);
    expect(lambda.invocations.map((c) => (c.payload as { action: string }).action)).toEqual(['reboot', 'reboot', 'cancel', 'cancel']);
    expect([...eni.groups].sort()).toEqual(before);
    expect(runtime.failed).toEqual([]);
  });
});
