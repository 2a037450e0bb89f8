/**
 * One handler test per handled EventBridge kind, each on AWS's own sample event (instance id and time
 * swapped for the simulated account's), with AWS in the state that confirms it.
 */
import { handler } from '../../lambda/termination-handler';
import { HANDLED_EVENT_KINDS } from '../../lambda/termination-handler/event-kinds';
import { METRIC_NAMES } from '../../lambda/termination-handler/metric-names';
import { captureOutput } from './support/capture-output';
import { configureHandler, INSTANCE_ID, OTHER_INSTANCE_ID, standardAccount } from './support/fixtures';
import { sampleEvent, type SampleKind } from './support/sample-events';
import { SimulatedAws } from './support/simulated-aws';

const ALL_STEPS = { deregister: 'succeeded', quarantine: 'succeeded', monitoring: 'skipped' };

describe('termination handler: every handled event kind, on AWS samples', () => {
  let sim: SimulatedAws;
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    sim = standardAccount(new SimulatedAws().install());
    configureHandler({ ACT_ON: 'spot-interruption,asg-termination,instance-state-change,scheduled-maintenance' });
    output = captureOutput();
  });
  afterEach(() => { output.restore(); sim.restore(); });

  const now = () => new Date().toISOString();
  const event = (kind: SampleKind, detail?: Record<string, unknown>) => sampleEvent(kind, { instanceId: INSTANCE_ID, time: now(), detail });
  const summaries = () => sim.published.map((p) => JSON.parse(p.Message!) as Record<string, any>);
  const acted = () => sim.callsTo('ModifyNetworkInterfaceAttribute').length > 0 || sim.callsTo('DeregisterTargets').length > 0;

  const cases: Record<SampleKind, { arrange: () => void; steps: object; signal: string }> = {
    'spot-warning': { arrange: () => undefined, steps: ALL_STEPS, signal: 'spot-interruption' },
    rebalance: { arrange: () => undefined, steps: {}, signal: 'rebalance-recommendation' },
    'state-change': { arrange: () => { sim.instances.get(INSTANCE_ID)!.state = 'shutting-down'; }, steps: ALL_STEPS, signal: 'instance-state-change' },
    'capacity-reservation': { arrange: () => undefined, steps: {}, signal: 'capacity-reservation-interruption' },
    'asg-lifecycle': { arrange: () => sim.aws.asgMembers.set(INSTANCE_ID, { group: 'sampleASG', state: 'Terminating:Wait' }), steps: ALL_STEPS, signal: 'asg-termination' },
    'health-scheduled': {
      arrange: () => sim.aws.scheduledEvents.set(INSTANCE_ID, [{ id: 'instance-event-0abc', code: 'instance-retirement', description: 'The instance is running on degraded hardware' }]),
      steps: ALL_STEPS,
      signal: 'scheduled-maintenance',
    },
  };

  it('covers every handled kind', () => {
    expect(Object.keys(cases).sort()).toEqual(HANDLED_EVENT_KINDS.map((k) => k.id).sort());
  });

  it.each(Object.keys(cases) as SampleKind[])('%s: confirmed by AWS, handled, one summary', async (kind) => {
    cases[kind].arrange();
    const result = await handler(event(kind));
    expect(result).toMatchObject({ status: 'done', steps: cases[kind].steps });
    expect(acted()).toBe(Object.keys(cases[kind].steps).length > 0);
    expect(summaries()).toEqual([expect.objectContaining({ signal: cases[kind].signal, source: 'eventbridge', instanceId: INSTANCE_ID })]);
  });

  it.each(['spot-warning', 'state-change', 'asg-lifecycle', 'health-scheduled'] as SampleKind[])(
    '%s: the same sample for a node AWS is not ending is refused, nothing changed',
    async (kind) => {
      sim.aws.spotStatus.set(INSTANCE_ID, 'fulfilled');
      sim.aws.asgMembers.set(INSTANCE_ID, { group: 'sampleASG', state: 'InService' });
      await expect(handler(event(kind))).resolves.toMatchObject({ status: 'refused', reason: expect.stringContaining('not confirmed by AWS') });
      expect(acted()).toBe(false);
    },
  );

  it('state-change: pending and running are counted no-ops', async () => {
    await expect(handler(event('state-change', { state: 'running' }))).resolves.toMatchObject({ status: 'ignored' });
    expect(sim.calls).toEqual([]);
    expect(output.emf().some((l) => METRIC_NAMES.NoticesIgnored in l)).toBe(true);
  });

  it('health-scheduled: one notice per affected instance of the cluster', async () => {
    sim.instances.set(OTHER_INSTANCE_ID, { ...sim.instances.get(INSTANCE_ID)!, id: OTHER_INSTANCE_ID, enis: [] });
    for (const id of [INSTANCE_ID, OTHER_INSTANCE_ID]) sim.aws.scheduledEvents.set(id, [{ id: `instance-event-${id}`, code: 'instance-retirement', description: 'retirement' }]);
    const result = await handler(event('health-scheduled', { affectedEntities: [{ entityValue: INSTANCE_ID }, { entityValue: OTHER_INSTANCE_ID }] }));
    expect(result).toMatchObject({ status: 'batch', results: [{ status: 'done' }, { status: 'done' }] });
    expect(summaries().map((s) => s.instanceId).sort()).toEqual([INSTANCE_ID, OTHER_INSTANCE_ID].sort());
  });

  it('health-scheduled: only reported under the default ACT_ON (as node-manager reports scheduled maintenance)', async () => {
    configureHandler();
    const result = await handler(event('health-scheduled'));
    expect(result).toMatchObject({ status: 'done', steps: {} });
    expect(acted()).toBe(false);
    expect(summaries()).toEqual([expect.objectContaining({ action: 'report', outcome: 'reported only (no action for this signal)' })]);
  });

  it('an event of an unhandled kind is a counted no-op, not an error', async () => {
    const result = await handler({ ...event('spot-warning'), 'detail-type': 'EC2 Fast Launch State-change Notification' });
    expect(result).toMatchObject({ status: 'ignored' });
    expect(sim.calls).toEqual([]);
  });
});
