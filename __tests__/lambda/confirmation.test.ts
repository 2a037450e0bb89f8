/**
 * Zero trust on the interruption path: a notice changes nothing until AWS confirms it. Run through the
 * real handler against the simulated account; "mutation" means a deregistration, an ENI change, a
 * monitoring call or a lifecycle completion.
 */
import { noticeKey } from '../../contract/interruption-notice';
import { handler, StepsFailedError } from '../../lambda/termination-handler';
import { METRIC_NAMES } from '../../lambda/termination-handler/metric-names';
import { INSTANCE_ID, spotNotice, spotWarningEvent } from './support/fixtures';
import { useHandlerHarness } from './support/handler-harness';
import { awsErrors } from './support/simulated-aws';

// Each case runs the whole handler (several of them twice); on a loaded shared machine that can pass 5 s.
vi.setConfig({ testTimeout: 30_000 });
const ACTIONS = ['DeregisterTargets', 'ModifyNetworkInterfaceAttribute', 'CompleteLifecycleAction'];

describe('termination handler: confirm with AWS before acting', () => {
  const h = useHandlerHarness({ hmacSecret: 'confirmation-test-webhook-secret' });

  const mutations = () => h.sim.calls.filter((c) => ACTIONS.includes(c.command)).map((c) => c.command);
  const summaries = () => h.sim.published.map((p) => JSON.parse(p.Message!) as Record<string, any>);
  const metric = (name: string) =>
    h.output.emf().reduce((sum, line) => sum + (line._aws.CloudWatchMetrics.some((m) => m.Metrics.some((x) => x.Name === name)) ? Number(line[name]) : 0), 0);
  const expectNothingDone = () => {
    expect(mutations()).toEqual([]);
    expect(h.webhook.requests).toEqual([]);
  };

  describe('a forged notice for a healthy node', () => {
    beforeEach(() => h.sim.aws.spotStatus.set(INSTANCE_ID, 'fulfilled')); // AWS is interrupting nothing

    it('is refused from node-manager: no mutation, counted, one summary saying so', async () => {
      const notice = spotNotice();
      const result = await handler(notice);
      expect(result).toEqual({ status: 'refused', noticeKey: noticeKey(notice), reason: expect.stringMatching(/^not confirmed by AWS: no Spot interruption.*fulfilled/) });
      expectNothingDone();
      expect(h.sim.callsTo('DescribeSpotInstanceRequests')).toHaveLength(3); // asked again, AWS is eventually consistent
      expect(summaries()).toEqual([expect.objectContaining({ outcome: expect.stringMatching(/^refused: not confirmed by AWS/), steps: [] })]);
      expect(h.sim.published[0]!.Subject).toBe(`[demo] spot-interruption ${INSTANCE_ID}: REFUSED, not confirmed by AWS`);
      expect(metric(METRIC_NAMES.NoticesUnconfirmed)).toBe(1);
      expect(metric(METRIC_NAMES.NoticesRefused)).toBe(1);
      expect(h.output.logs().find((l) => l.message === 'refusing notice: not confirmed by AWS')).toMatchObject({ level: 'WARN' });
    });

    it('is refused when shaped like an EventBridge event: the shape proves nothing', async () => {
      const result = await handler(spotWarningEvent(spotNotice().noticeTime));
      expect(result).toMatchObject({ status: 'refused', reason: expect.stringContaining('not confirmed by AWS') });
      expectNothingDone();
    });

    it('is processed once AWS marks the Spot request, even if the first answer lagged', async () => {
      const answer = h.sim.aws.handle.bind(h.sim.aws);
      h.sim.aws.handle = (command, input) => {
        const out = answer(command, input);
        if (command === 'DescribeSpotInstanceRequests') h.sim.aws.spotStatus.set(INSTANCE_ID, 'marked-for-termination');
        return out;
      };
      await expect(handler(spotNotice())).resolves.toMatchObject({ status: 'done', steps: { deregister: 'succeeded', quarantine: 'succeeded', monitoring: 'succeeded' } });
      expect(h.sim.callsTo('DescribeSpotInstanceRequests')).toHaveLength(2);
    });
  });

  it.each(['marked-for-termination', 'marked-for-stop', 'marked-for-hibernation', 'instance-terminated-no-capacity'])(
    'processes a spot notice AWS confirms with status %s',
    async (code) => {
      h.sim.aws.spotStatus.set(INSTANCE_ID, code);
      await expect(handler(spotNotice())).resolves.toMatchObject({ status: 'done' });
      expect(mutations()).toContain('DeregisterTargets');
    },
  );

  describe('an ASG termination', () => {
    const asgNotice = () => spotNotice({ signal: 'asg-termination' });

    it('that never started is refused: no mutation', async () => {
      h.sim.aws.asgMembers.set(INSTANCE_ID, { group: 'demo-spot', state: 'InService' });
      await expect(handler(asgNotice())).resolves.toMatchObject({ status: 'refused', reason: expect.stringMatching(/demo-spot shows .* as InService, not terminating/) });
      expectNothingDone();
    });

    it('for an instance in no Auto Scaling group is refused', async () => {
      await expect(handler(asgNotice())).resolves.toMatchObject({ status: 'refused', reason: expect.stringContaining('not in any Auto Scaling group') });
      expectNothingDone();
    });

    it.each(['Terminating:Wait', 'Terminating', 'Terminating:Proceed'])('that AWS shows as %s is processed', async (state) => {
      h.sim.aws.asgMembers.set(INSTANCE_ID, { group: 'demo-spot', state });
      await expect(handler(asgNotice())).resolves.toMatchObject({ status: 'done' });
      expect(mutations()).toEqual(expect.arrayContaining(['DeregisterTargets', 'ModifyNetworkInterfaceAttribute']));
    });
  });

  describe('AWS unreachable during confirmation', () => {
    it.each([
      ['DescribeSpotInstanceRequests', spotNotice()],
      ['DescribeAutoScalingInstances', spotNotice({ signal: 'asg-termination' })],
      ['DescribeInstances', spotNotice()],
    ])('(%s failing) mutates nothing and fails the invocation so Lambda retries it', async (command, notice) => {
      h.sim.aws.asgMembers.set(INSTANCE_ID, { group: 'demo-spot', state: 'Terminating:Wait' });
      h.sim.fail(command, awsErrors.serverError);
      const error = await handler(notice).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepsFailedError);
      expect((error as StepsFailedError).failures).toEqual([expect.objectContaining({ step: 'verify', operation: command, kind: 'server-error' })]);
      expectNothingDone();

      h.sim.clearFaults(); // the retry, once AWS answers again
      await expect(handler(notice)).resolves.toMatchObject({ status: 'done' });
      expect(mutations()).toContain('DeregisterTargets');
    });
  });

  it('refuses a rebalance recommendation asking for more than a report: no API confirms it', async () => {
    const result = await handler(spotNotice({ signal: 'rebalance-recommendation', action: 'terminate' }));
    expect(result).toMatchObject({ status: 'refused', reason: expect.stringContaining('no AWS API confirms a rebalance-recommendation') });
    expectNothingDone();
  });

  it('lets a report-only notice through without asking AWS more than whose instance it is', async () => {
    await expect(handler(spotNotice({ signal: 'rebalance-recommendation', action: 'report' }))).resolves.toMatchObject({ status: 'done', steps: {} });
    expect(h.sim.calls.map((c) => c.command)).not.toContain('DescribeSpotInstanceRequests');
    expectNothingDone();
  });

  describe('scheduled maintenance', () => {
    const maintenance = () => spotNotice({ signal: 'scheduled-maintenance', action: 'reboot', noticeTime: new Date(Date.now() + 3 * 24 * 3600_000).toISOString() });

    it('is processed when DescribeInstanceStatus lists the event', async () => {
      h.sim.aws.scheduledEvents.set(INSTANCE_ID, [{ id: 'instance-event-0abc', code: 'system-reboot', description: 'scheduled reboot' }]);
      await expect(handler(maintenance())).resolves.toMatchObject({ status: 'done' });
    });

    it.each([[[]], [[{ id: 'instance-event-0abc', code: 'system-reboot', description: '[Canceled] scheduled reboot' }]]])(
      'is refused when AWS lists no active event (%j)',
      async (events) => {
        h.sim.aws.scheduledEvents.set(INSTANCE_ID, events);
        await expect(handler(maintenance())).resolves.toMatchObject({ status: 'refused' });
        expectNothingDone();
      },
    );
  });

  describe('an instance state change', () => {
    const stateNotice = () => spotNotice({ signal: 'instance-state-change', action: 'terminate', noticeTime: new Date().toISOString() });

    it('for a running instance is refused', async () => {
      await expect(handler(stateNotice())).resolves.toMatchObject({ status: 'refused', reason: expect.stringContaining('is running') });
      expectNothingDone();
    });

    it('for an instance AWS shows shutting down is processed', async () => {
      h.sim.instances.get(INSTANCE_ID)!.state = 'shutting-down';
      await expect(handler(stateNotice())).resolves.toMatchObject({ status: 'done' });
    });
  });
});
