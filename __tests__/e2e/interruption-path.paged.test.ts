/** A spot interruption with more than 400 target groups in the account: the handler pages past them. */
import { expectTakenOutOfService, interrupt, SCENARIO_TIMEOUT_MS, sleep, startScenario } from './interruption-path';

vi.setConfig({ testTimeout: SCENARIO_TIMEOUT_MS });

it('takes a spot-interrupted node out of every target group (>400 groups paged), quarantines it, silences monitoring, one summary', async ({ onTestFinished }) => {
  // 430 groups of another VPC (paged past, never read) and 20 of the cluster's VPC (read, under AWS's buckets).
  const system = await startScenario(onTestFinished, { fillerTargetGroups: 430, fillerVpcId: 'vpc-0e0e0e0e0e0e0e0e0', enis: 2 });
  for (let i = 0; i < 20; i++) {
    system.aws.elbv2.addTargetGroup({ name: `vpc-filler-${i}`, vpcId: system.cluster.vpcId, targetType: 'instance', port: 80, targets: [{ id: system.cluster.peer.id }] });
  }
  const { noticeToDoneMs } = await interrupt(system);
  expectTakenOutOfService(system);
  expect(system.aws.callsTo('elbv2', 'DescribeTargetGroups').length).toBeGreaterThanOrEqual(2); // paged
  // Only the cluster VPC's groups are read: 2 NodePort + 2 IP + 20 fillers.
  expect(system.aws.callsTo('elbv2', 'DescribeTargetHealth').filter((c) => !c.errorCode)).toHaveLength(24);
  // The notice stays in IMDS on every poll: still exactly one invoke.
  await sleep(2500);
  expect(system.lambda.invocations).toHaveLength(1);
  expect(system.lambda.invocations[0]!.payload).toMatchObject({ instanceId: system.cluster.node.id, signal: 'spot-interruption', source: 'node-manager' });
  process.stdout.write(`e2e notice-to-done: ${noticeToDoneMs} ms at a 2 s poll interval (target ≤ 5000)\n`);
});
