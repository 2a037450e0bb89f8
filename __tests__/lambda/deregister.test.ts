import { deregisterFromTargetGroups } from '../../lambda/termination-handler/deregister';
import { INSTANCE_ID, OTHER_INSTANCE_ID, standardAccount, stepContext, VPC_ID } from './support/fixtures';
import { awsErrors, SimulatedAws, type SimTargetGroup } from './support/simulated-aws';

const arnOf = (name: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const deregisterInputs = (sim: SimulatedAws) =>
  Object.fromEntries(
    sim.callsTo('DeregisterTargets').map((c) => {
      const input = c.input as { TargetGroupArn: string; Targets: { Id: string; Port?: number }[] };
      return [input.TargetGroupArn.split('/')[1], input.Targets.map((t) => `${t.Id}:${t.Port}`).sort()];
    }),
  );

describe('deregisterFromTargetGroups', () => {
  let sim: SimulatedAws;
  beforeEach(() => { sim = standardAccount(new SimulatedAws().install()); });
  afterEach(() => sim.restore());

  it('deregisters the instance on every port and every ENI address, and nothing else', async () => {
    const outcome = await deregisterFromTargetGroups(await stepContext(sim));

    expect(outcome.failures).toEqual([]);
    expect(deregisterInputs(sim)).toEqual({
      web: [`${INSTANCE_ID}:80`],
      // NodePorts: registrations on ports other than the group's default.
      'ingress-nodeport': [`${INSTANCE_ID}:30080`, `${INSTANCE_ID}:31443`],
      // IP targets from the first and second ENI, and from the third ENI's delegated prefix.
      'pods-ip': ['10.0.1.11:8080', '10.0.2.21:8080', '10.0.3.20:8080'],
    });
    // Other nodes stay registered; the draining target is not touched again.
    const remaining = (name: string) => sim.targetGroups.find((g) => g.name === name)!.targets.filter((t) => t.state !== 'draining').map((t) => `${t.id}:${t.port}`);
    expect(remaining('web')).toEqual([`${OTHER_INSTANCE_ID}:80`]);
    expect(remaining('ingress-nodeport')).toEqual([`${OTHER_INSTANCE_ID}:30080`]);
    expect(remaining('pods-ip')).toEqual(['10.0.9.9:8080']);
    expect(remaining('other-vpc')).toEqual(['10.0.1.11:80']); // same address, other VPC: not ours
    expect(outcome.detail).toMatchObject({ groupsScanned: 7, groupsInVpc: 5, targetsDeregistered: 6 });
  });

  it('lists targets without naming them, so non-default ports are found', async () => {
    await deregisterFromTargetGroups(await stepContext(sim));
    const inputs = sim.callsTo('DescribeTargetHealth').map((c) => c.input as Record<string, unknown>);
    expect(inputs.length).toBe(5);
    for (const input of inputs) expect(input).not.toHaveProperty('Targets');
  });

  it('pages through more than 400 target groups and finds the instance on the last page', async () => {
    const many: SimTargetGroup[] = Array.from({ length: 950 }, (_, i) => ({
      arn: arnOf(`tg-${i}`), name: `tg-${i}`, vpcId: VPC_ID, type: 'instance', port: 80,
      targets: i === 949 || i === 3 ? [{ id: INSTANCE_ID, port: 80, state: 'healthy' }] : [],
    }));
    sim.targetGroups = many;
    const outcome = await deregisterFromTargetGroups(await stepContext(sim));

    expect(sim.callsTo('DescribeTargetGroups').map((c) => c.input)).toEqual([
      { PageSize: 400 }, { PageSize: 400, Marker: '400' }, { PageSize: 400, Marker: '800' },
    ]);
    expect(Object.keys(deregisterInputs(sim)).sort()).toEqual(['tg-3', 'tg-949']);
    expect(outcome.detail).toMatchObject({ groupsScanned: 950, groupsInVpc: 950, targetsDeregistered: 2 });
  });

  it('keeps DescribeTargetHealth calls within DEREGISTER_CONCURRENCY', async () => {
    sim.targetGroups = Array.from({ length: 40 }, (_, i) => ({
      arn: arnOf(`tg-${i}`), name: `tg-${i}`, vpcId: VPC_ID, type: 'instance' as const, port: 80, targets: [],
    }));
    sim.delayMs = 5;
    await deregisterFromTargetGroups(await stepContext(sim, { DEREGISTER_CONCURRENCY: '4' }));
    expect(sim.peakInFlight.DescribeTargetHealth).toBe(4);
  });

  it('reports groups whose deregistration delay outlasts the notice window', async () => {
    const outcome = await deregisterFromTargetGroups(await stepContext(sim, { NOTICE_WINDOW_SECONDS: '45' }));
    expect(outcome.detail!.slowGroups.map((g) => `${g.name}=${g.delaySeconds}`).sort()).toEqual(['pods-ip=60', 'web=300']);
  });

  it('isolates a failing group: the others are still deregistered and the failure names the group', async () => {
    const original = (sim as any).describeTargetHealth.bind(sim);
    (sim as any).describeTargetHealth = (input: { TargetGroupArn: string }) => {
      if (input.TargetGroupArn === arnOf('web')) throw awsErrors.accessDenied();
      return original(input);
    };
    const outcome = await deregisterFromTargetGroups(await stepContext(sim));
    expect(outcome.failures).toEqual([
      expect.objectContaining({ operation: 'DescribeTargetHealth', resource: arnOf('web'), kind: 'access-denied' }),
    ]);
    expect(Object.keys(deregisterInputs(sim)).sort()).toEqual(['ingress-nodeport', 'pods-ip']);
  });

  it('does not count a group deleted meanwhile as a failure', async () => {
    sim.fail('DescribeTargetHealth', () => awsErrors.named('TargetGroupNotFoundException'), 1);
    const outcome = await deregisterFromTargetGroups(await stepContext(sim));
    expect(outcome.failures).toEqual([]);
  });

  it('keeps the deregistration when the delay attribute cannot be read, as a warning', async () => {
    sim.fail('DescribeTargetGroupAttributes', () => awsErrors.accessDenied());
    const outcome = await deregisterFromTargetGroups(await stepContext(sim));
    expect(outcome.failures).toEqual([]);
    expect(outcome.detail!.targetsDeregistered).toBe(6);
    expect(outcome.detail!.warnings).toHaveLength(3);
    expect(outcome.detail!.slowGroups).toEqual([]);
  });

  it('reports a paging failure and still finishes the groups already found', async () => {
    sim.targetGroups = Array.from({ length: 500 }, (_, i) => ({
      arn: arnOf(`tg-${i}`), name: `tg-${i}`, vpcId: VPC_ID, type: 'instance' as const, port: 80,
      targets: [{ id: INSTANCE_ID, port: 80, state: 'healthy' as const }],
    }));
    const original = (sim as any).describeTargetGroups.bind(sim);
    (sim as any).describeTargetGroups = (input: { Marker?: string }) => {
      if (input.Marker) throw awsErrors.throttling('Throttling');
      return original(input);
    };
    const outcome = await deregisterFromTargetGroups(await stepContext(sim));
    expect(outcome.failures).toEqual([expect.objectContaining({ operation: 'DescribeTargetGroups', kind: 'throttled' })]);
    expect(outcome.detail!.targetsDeregistered).toBe(400);
  });
});
