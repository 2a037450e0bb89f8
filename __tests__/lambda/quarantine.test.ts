import { quarantineInstance } from '../../lambda/termination-handler/quarantine';
import { INSTANCE_ID, QUARANTINE_SG, standardAccount, stepContext } from './support/fixtures';
import { awsErrors, SimulatedAws } from './support/simulated-aws';

describe('quarantineInstance', () => {
  let sim: SimulatedAws;
  beforeEach(() => { sim = standardAccount(new SimulatedAws().install()); });
  afterEach(() => sim.restore());
  const groupsOfEnis = () => sim.instances.get(INSTANCE_ID)!.enis.map((e) => e.groups);

  it('replaces the security groups of every ENI with the quarantine group alone', async () => {
    const outcome = await quarantineInstance(await stepContext(sim));
    expect(outcome.failures).toEqual([]);
    expect(sim.callsTo('ModifyNetworkInterfaceAttribute').map((c) => c.input)).toEqual(
      expect.arrayContaining(['a', 'b', 'c'].map((x) => ({ NetworkInterfaceId: `eni-0000000000000000${x}`, Groups: [QUARANTINE_SG] }))),
    );
    expect(groupsOfEnis()).toEqual([[QUARANTINE_SG], [QUARANTINE_SG], [QUARANTINE_SG]]);
  });

  it('still quarantines the other ENIs when one fails, and names the one that failed', async () => {
    const original = (sim as any).modifyEni.bind(sim);
    (sim as any).modifyEni = (input: { NetworkInterfaceId: string }) => {
      if (input.NetworkInterfaceId === 'eni-0000000000000000b') throw awsErrors.throttling('RequestLimitExceeded');
      return original(input);
    };
    const outcome = await quarantineInstance(await stepContext(sim));
    expect(outcome.failures).toEqual([
      expect.objectContaining({ operation: 'ModifyNetworkInterfaceAttribute', resource: 'eni-0000000000000000b', kind: 'throttled' }),
    ]);
    expect(groupsOfEnis()).toEqual([[QUARANTINE_SG], ['sg-0000000000000node'], [QUARANTINE_SG]]);
  });

  it('skips ENIs that are already quarantined (a retry repeats only what failed)', async () => {
    sim.instances.get(INSTANCE_ID)!.enis[0]!.groups = [QUARANTINE_SG];
    const outcome = await quarantineInstance(await stepContext(sim));
    expect(sim.callsTo('ModifyNetworkInterfaceAttribute')).toHaveLength(2);
    expect(outcome.detail!.alreadyQuarantined).toEqual(['eni-0000000000000000a']);
  });
});
