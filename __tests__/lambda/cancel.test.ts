/**
 * A cancelled scheduled-maintenance event undoes what the handler did for it: the ENIs get back the
 * groups recorded before quarantine, and monitoring is restored — once AWS confirms the cancellation.
 */
import type { InterruptionNotice } from '../../contract/interruption-notice';
import { handler } from '../../lambda/termination-handler';
import { restoreMonitoring } from '../../lambda/termination-handler/monitoring';
import { INSTANCE_ID, QUARANTINE_SG, SECRET_ARN, spotNotice, stepContext } from './support/fixtures';
import { useHandlerHarness } from './support/handler-harness';
import { awsErrors } from './support/simulated-aws';

const NODE_SG = 'sg-0000000000000node';

describe('termination handler: a cancelled scheduled-maintenance event', () => {
  const h = useHandlerHarness({ hmacSecret: 'cancel-test-webhook-secret', answerOk: true });
  let maintenance: InterruptionNotice;
  beforeEach(() => {
    h.sim.aws.scheduledEvents.set(INSTANCE_ID, [{ id: 'instance-event-0abc', code: 'system-reboot', description: 'scheduled reboot' }]);
    maintenance = spotNotice({ signal: 'scheduled-maintenance', action: 'reboot', noticeTime: new Date(Date.now() + 3 * 24 * 3600_000).toISOString() });
  });

  const groups = () => h.sim.instances.get(INSTANCE_ID)!.enis.map((e) => e.groups);
  const cancelInAws = () => h.sim.aws.scheduledEvents.set(INSTANCE_ID, [{ id: 'instance-event-0abc', code: 'system-reboot', description: '[Canceled] scheduled reboot' }]);

  it('restores the recorded groups and tells monitoring, once AWS shows the event cancelled', async () => {
    await expect(handler(maintenance)).resolves.toMatchObject({ status: 'done', steps: { quarantine: 'succeeded' } });
    expect(groups()).toEqual([[QUARANTINE_SG], [QUARANTINE_SG], [QUARANTINE_SG]]);

    cancelInAws();
    const result = await handler({ ...maintenance, action: 'cancel' });
    expect(result).toMatchObject({ status: 'done', steps: { restore: 'succeeded' } });
    expect(groups()).toEqual([[NODE_SG], [NODE_SG], [NODE_SG]]);
    expect(h.webhook.requests.map((r) => JSON.parse(r.body).notice.action)).toEqual(['reboot', 'cancel']);
    expect(h.sim.callsTo('DeregisterTargets').length).toBeGreaterThan(0); // only from the first notice
  });

  it('refuses the undo while AWS still lists the event as active: nothing restored', async () => {
    await handler(maintenance);
    const before = h.sim.calls.length;
    await expect(handler({ ...maintenance, action: 'cancel' })).resolves.toMatchObject({ status: 'refused', reason: expect.stringContaining('still active') });
    expect(h.sim.calls.slice(before).map((c) => c.command)).not.toContain('ModifyNetworkInterfaceAttribute');
    expect(groups()).toEqual([[QUARANTINE_SG], [QUARANTINE_SG], [QUARANTINE_SG]]);
  });

  it('records the original groups once: a retry of the quarantine never records the quarantine group', async () => {
    h.sim.fail('ModifyNetworkInterfaceAttribute', awsErrors.serverError, 1); // one ENI fails the first time
    await expect(handler(maintenance)).rejects.toThrow(/quarantine/);
    await expect(handler(maintenance)).resolves.toMatchObject({ status: 'done', steps: { quarantine: 'succeeded' } }); // the retry
    expect(groups()).toEqual([[QUARANTINE_SG], [QUARANTINE_SG], [QUARANTINE_SG]]);
    cancelInAws();
    await handler({ ...maintenance, action: 'cancel' });
    expect(groups()).toEqual([[NODE_SG], [NODE_SG], [NODE_SG]]);
  });

  it('leaves alone ENIs it has no record for, and ENIs whose groups changed since', async () => {
    for (const eni of h.sim.instances.get(INSTANCE_ID)!.enis) eni.groups = [QUARANTINE_SG];
    h.sim.instances.get(INSTANCE_ID)!.enis[1]!.groups = ['sg-0000000000000new'];
    cancelInAws();
    const result = await handler({ ...maintenance, action: 'cancel' });
    expect(result).toMatchObject({ status: 'done', steps: { restore: 'succeeded' } });
    expect(h.sim.callsTo('ModifyNetworkInterfaceAttribute')).toEqual([]);
  });

  it('does not accept a cancel for a spot interruption (AWS never cancels those)', async () => {
    await expect(handler(spotNotice({ action: 'cancel' }))).resolves.toMatchObject({ status: 'refused', reason: expect.stringContaining('only scheduled-maintenance') });
  });

  it('unmutes the host in Datadog', async () => {
    h.sim.secrets.set(SECRET_ARN, JSON.stringify({ apiKey: 'dd-api', appKey: 'dd-app' }));
    const ctx = await stepContext(h.sim, { MONITORING_PROVIDER: 'datadog', MONITORING_SECRET_ARN: SECRET_ARN, DATADOG_API_URL: h.webhook.url });
    const outcome = await restoreMonitoring(ctx, new Map());
    expect(outcome).toMatchObject({ failures: [], detail: { provider: 'datadog', action: 'unmuted' } });
    expect(h.webhook.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /api/v1/host/${INSTANCE_ID}/unmute`]);
  });
});
