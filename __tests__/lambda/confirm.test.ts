/**
 * confirmNotices: a wave of notices is confirmed with one describe call per API and page — a mass
 * interruption must not spend one EC2 describe token per node — and every answer lands on its notice.
 */
import { createAwsClients } from '../../lambda/termination-handler/clients';
import { confirmNotices, isInterruptionStatusCode } from '../../lambda/termination-handler/confirm';
import { awsErrors, SimulatedAws } from './support/simulated-aws';

const id = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;

describe('confirmNotices', () => {
  let sim: SimulatedAws;
  beforeEach(() => { sim = new SimulatedAws().install(); });
  afterEach(() => sim.restore());
  const clients = () => createAwsClients('eu-west-1');

  it('confirms 250 spot and 120 ASG notices with 3 + 3 describe calls, each answer on its own notice', async () => {
    const spot = Array.from({ length: 250 }, (_, n) => id(n + 1));
    const asg = Array.from({ length: 120 }, (_, n) => id(n + 1001));
    spot.forEach((i, n) => { if (n % 10) sim.aws.spotStatus.set(i, 'marked-for-termination'); else sim.aws.spotStatus.set(i, 'fulfilled'); });
    asg.forEach((i, n) => sim.aws.asgMembers.set(i, { group: `g${n % 3}`, state: n % 4 ? 'Terminating:Wait' : 'InService' }));
    const items = [
      ...spot.map((instanceId) => ({ notice: { signal: 'spot-interruption' as const, action: 'terminate' as const }, facts: { instanceId, state: 'running' } })),
      ...asg.map((instanceId) => ({ notice: { signal: 'asg-termination' as const, action: 'terminate' as const }, facts: { instanceId, state: 'running' } })),
    ];
    const answers = await confirmNotices(items, clients());

    expect(sim.counts()).toEqual({ DescribeSpotInstanceRequests: 3, DescribeAutoScalingInstances: 3 });
    answers.slice(0, 250).forEach((a, n) => expect(a.status).toBe(n % 10 ? 'confirmed' : 'unconfirmed'));
    answers.slice(250).forEach((a, n) => {
      expect(a.status).toBe(n % 4 ? 'confirmed' : 'unconfirmed');
      if (a.status === 'confirmed') expect(a.autoScalingGroupName).toBe(`g${n % 3}`);
    });
  });

  it('asks nothing for report notices, state changes or instances already shutting down', async () => {
    const answers = await confirmNotices([
      { notice: { signal: 'rebalance-recommendation', action: 'report' }, facts: { instanceId: id(1), state: 'running' } },
      { notice: { signal: 'instance-state-change', action: 'terminate' }, facts: { instanceId: id(2), state: 'shutting-down' } },
      { notice: { signal: 'spot-interruption', action: 'terminate' }, facts: { instanceId: id(3), state: 'stopping' } },
    ], clients());
    expect(answers.map((a) => a.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(sim.calls).toEqual([]);
  });

  it('throws, naming the call, when AWS cannot be asked: the caller fails closed', async () => {
    sim.fail('DescribeInstanceStatus', () => awsErrors.throttling('RequestLimitExceeded'));
    await expect(confirmNotices([{ notice: { signal: 'scheduled-maintenance', action: 'reboot' }, facts: { instanceId: id(1) } }], clients()))
      .rejects.toMatchObject({ operation: 'DescribeInstanceStatus', name: 'RequestLimitExceeded' });
  });

  it.each([
    ['marked-for-termination', true], ['marked-for-stop', true], ['marked-for-hibernation', true],
    ['instance-terminated-by-price', true], ['instance-stopped-no-capacity', true], ['instance-terminated-capacity-oversubscribed', true],
    ['instance-terminated-by-user', false], ['instance-stopped-by-user', false], ['fulfilled', false], ['request-canceled-and-instance-running', false], [undefined, false],
  ])('reads Spot status %s as an interruption: %s', (code, expected) => {
    expect(isInterruptionStatusCode(code)).toBe(expected);
  });
});
