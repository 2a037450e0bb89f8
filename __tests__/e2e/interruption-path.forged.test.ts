/** A spot notice EC2 never issued (a forged notice on a cluster node): nothing changes, one summary says so. */
import { SCENARIO_TIMEOUT_MS, sleep, spotNotice, startScenario } from './interruption-path';

vi.setConfig({ testTimeout: SCENARIO_TIMEOUT_MS });

it('changes nothing for a cluster node AWS is not interrupting (a forged notice), and says so once', async ({ onTestFinished }) => {
  const system = await startScenario(onTestFinished);
  await sleep(300);
  system.imds.setSpotAction(spotNotice()); // the node claims an interruption; EC2 never marked its Spot request
  await system.lambda.waitForInvocations(1, 10_000);
  await system.runtime.idle(30_000);
  const { aws, cluster } = system;
  expect(system.runtime.completions.map((c) => c.result?.status)).toEqual(['refused']);
  expect(aws.callsTo('ec2', 'DescribeSpotInstanceRequests').length).toBeGreaterThanOrEqual(1);
  expect(aws.callsTo('ec2', 'ModifyNetworkInterfaceAttribute')).toEqual([]);
  expect(aws.callsTo('elbv2', 'DeregisterTargets')).toEqual([]);
  expect(system.webhook.requests).toEqual([]);
  expect(aws.sns.published).toHaveLength(1);
  expect(aws.sns.published[0]!.message).toContain('refused: not confirmed by AWS');
  expect(cluster.node.networkInterfaces[0]!.groups).not.toContain(cluster.quarantineSecurityGroupId);
});
