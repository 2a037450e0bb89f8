/**
 * ASG terminations: the lifecycle action is completed (CONTINUE) once the node is out of service, on
 * the group AWS named — never before deregistration and quarantine succeeded.
 */
import { handler, StepsFailedError } from '../../lambda/termination-handler';
import { captureOutput } from './support/capture-output';
import { configureHandler, INSTANCE_ID, spotNotice, standardAccount } from './support/fixtures';
import { sampleEvent } from './support/sample-events';
import { awsErrors, SimulatedAws } from './support/simulated-aws';

describe('termination handler: ASG lifecycle action', () => {
  let sim: SimulatedAws;
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    sim = standardAccount(new SimulatedAws().install());
    sim.aws.asgMembers.set(INSTANCE_ID, { group: 'demo-spot', state: 'Terminating:Wait' });
    sim.aws.terminationHooks.set('demo-spot', ['drain-before-terminate']);
    configureHandler();
    output = captureOutput();
  });
  afterEach(() => { output.restore(); sim.restore(); });

  const asgNotice = () => spotNotice({ signal: 'asg-termination', noticeTime: new Date().toISOString() });
  const order = () => sim.calls.map((c) => c.command).filter((c) => ['DeregisterTargets', 'ModifyNetworkInterfaceAttribute', 'CompleteLifecycleAction'].includes(c));

  it('completes the action with CONTINUE after the node is deregistered and quarantined', async () => {
    await expect(handler(asgNotice())).resolves.toMatchObject({
      status: 'done', steps: { deregister: 'succeeded', quarantine: 'succeeded', monitoring: 'skipped', lifecycle: 'succeeded' },
    });
    expect(sim.aws.completedLifecycleActions).toEqual([{ group: 'demo-spot', hook: 'drain-before-terminate', instanceId: INSTANCE_ID, result: 'CONTINUE' }]);
    expect(order().at(-1)).toBe('CompleteLifecycleAction');
    expect(order().filter((c) => c !== 'CompleteLifecycleAction').length).toBeGreaterThan(0);
  });

  it('uses the group AWS names, not the one the event claims', async () => {
    const event = sampleEvent('asg-lifecycle', { instanceId: INSTANCE_ID, time: new Date().toISOString() }); // says sampleASG
    await expect(handler(event)).resolves.toMatchObject({ status: 'done', steps: { lifecycle: 'succeeded' } });
    expect(sim.aws.completedLifecycleActions.map((a) => a.group)).toEqual(['demo-spot']);
  });

  it('does not complete it while the node is still in service, and completes it on the retry', async () => {
    const notice = asgNotice();
    sim.fail('DeregisterTargets', () => awsErrors.throttling('Throttling'));
    const error = await handler(notice).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepsFailedError);
    expect([...new Set((error as StepsFailedError).failures.map((f) => f.step))].sort()).toEqual(['deregister', 'lifecycle']);
    expect(sim.callsTo('CompleteLifecycleAction')).toEqual([]);

    sim.clearFaults();
    await expect(handler(notice)).resolves.toMatchObject({ status: 'done', steps: { deregister: 'succeeded', quarantine: 'skipped', lifecycle: 'succeeded' } });
    expect(sim.aws.completedLifecycleActions).toHaveLength(1);
  });

  it('treats a hook with no pending action (already completed, or timed out) as done', async () => {
    sim.aws.asgMembers.set(INSTANCE_ID, { group: 'demo-spot', state: 'Terminating:Proceed' });
    await expect(handler(asgNotice())).resolves.toMatchObject({ status: 'done', steps: { lifecycle: 'succeeded' } });
    expect(sim.callsTo('CompleteLifecycleAction')).toHaveLength(1);
    expect(sim.aws.completedLifecycleActions).toEqual([]);
  });

  it('skips a group without a termination hook', async () => {
    sim.aws.terminationHooks.delete('demo-spot');
    await expect(handler(asgNotice())).resolves.toMatchObject({ status: 'done', steps: { lifecycle: 'skipped' } });
    expect(sim.callsTo('CompleteLifecycleAction')).toEqual([]);
  });

  it('fails the invocation (so it is retried) when CompleteLifecycleAction itself fails', async () => {
    const notice = asgNotice();
    sim.fail('CompleteLifecycleAction', awsErrors.serverError, 1);
    await expect(handler(notice)).rejects.toThrow(/lifecycle: CompleteLifecycleAction demo-spot\/drain-before-terminate/);
    await expect(handler(notice)).resolves.toMatchObject({ status: 'done', steps: { lifecycle: 'succeeded', deregister: 'skipped' } });
  });

  it('has nothing to complete for a spot interruption', async () => {
    const result = await handler(spotNotice());
    expect(result).toMatchObject({ status: 'done' });
    expect(Object.keys((result as { steps: object }).steps)).not.toContain('lifecycle');
    expect(sim.callsTo('DescribeLifecycleHooks')).toEqual([]);
  });
});
