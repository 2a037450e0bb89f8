/** A spot notice on an instance outside the cluster: the handler refuses it and touches nothing. */
import { CLUSTER_NAME, liveRegistrations } from './system';
import { interrupt, SCENARIO_TIMEOUT_MS, startScenario } from './interruption-path';

vi.setConfig({ testTimeout: SCENARIO_TIMEOUT_MS });

it('changes nothing for an instance that is not in the cluster', async ({ onTestFinished }) => {
  const system = await startScenario(onTestFinished, { daemonInstance: 'stranger' });
  await interrupt(system);
  const { aws, cluster } = system;
  expect(system.runtime.completions.map((c) => c.result?.status)).toEqual(['refused']);
  expect(aws.callsTo('ec2', 'ModifyNetworkInterfaceAttribute')).toEqual([]);
  expect(aws.callsTo('elbv2', 'DeregisterTargets')).toEqual([]);
  expect(aws.sns.published).toEqual([]);
  expect(system.webhook.requests).toEqual([]);
  expect(liveRegistrations(system, [cluster.stranger.id]).length).toBeGreaterThan(0);
  expect(cluster.stranger.networkInterfaces[0]!.groups).not.toContain(cluster.quarantineSecurityGroupId);
  expect(CLUSTER_NAME).toBe('spot-e2e');
});
