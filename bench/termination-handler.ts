/**
 * Termination handler against a simulated AWS (aws-sdk-client-mock, 20 ms per call) with 500 target
 * groups in the node's VPC: how long until every deregistration is done, beside a baseline that makes
 * the very same API calls one at a time, and how many calls of each kind it took.
 */
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, DescribeSpotInstanceRequestsCommand, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { PublishCommand } from '@aws-sdk/client-sns';
import { configureHandler, clusterNode, INSTANCE_ID, OTHER_INSTANCE_ID, spotNotice, VPC_ID } from '../__tests__/lambda/support/fixtures';
import { SimulatedAws, type SimTargetGroup } from '../__tests__/lambda/support/simulated-aws';
import { createAwsClients, type AwsClients } from '../lambda/termination-handler/clients';
import { handler } from '../lambda/termination-handler';

const GROUPS = 500;
const CALL_DELAY_MS = 20;
const DEREGISTER_CALLS = new Set(['DescribeTargetGroups', 'DescribeTargetHealth', 'DeregisterTargets', 'DescribeTargetGroupAttributes']);

/** 500 groups; every 5th holds the node (instance mode on a NodePort, or IP mode on two ENIs). */
function account(): SimulatedAws {
  const sim = new SimulatedAws();
  sim.instances.set(INSTANCE_ID, clusterNode());
  sim.aws.spotStatus.set(INSTANCE_ID, 'marked-for-termination'); // AWS confirms the notice
  sim.targetGroups = Array.from({ length: GROUPS }, (_, i): SimTargetGroup => {
    const ip = i % 2 === 1;
    const mine = i % 5 === 0;
    return {
      arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/bench-${i}/0123456789abcdef`,
      name: `bench-${i}`, vpcId: VPC_ID, type: ip ? 'ip' : 'instance', port: 80, delaySeconds: i % 3 === 0 ? 300 : 60,
      targets: ip
        ? [...(mine ? ['10.0.1.11', '10.0.2.21'] : []), '10.0.9.9'].map((id) => ({ id, port: 8080, state: 'healthy' as const }))
        : [...(mine ? [{ id: INSTANCE_ID, port: 30000 + i, state: 'healthy' as const }] : []), { id: OTHER_INSTANCE_ID, port: 80, state: 'healthy' as const }],
    };
  });
  sim.delayMs = CALL_DELAY_MS;
  return sim;
}

const COMMANDS: Record<string, (clients: AwsClients, input: any) => Promise<unknown>> = {
  DescribeInstances: (c, i) => c.ec2.send(new DescribeInstancesCommand(i)),
  DescribeSpotInstanceRequests: (c, i) => c.ec2.send(new DescribeSpotInstanceRequestsCommand(i)),
  ModifyNetworkInterfaceAttribute: (c, i) => c.ec2.send(new ModifyNetworkInterfaceAttributeCommand(i)),
  DescribeTargetGroups: (c, i) => c.elbv2.send(new DescribeTargetGroupsCommand(i)),
  DescribeTargetHealth: (c, i) => c.elbv2.send(new DescribeTargetHealthCommand(i)),
  DeregisterTargets: (c, i) => c.elbv2.send(new DeregisterTargetsCommand(i)),
  DescribeTargetGroupAttributes: (c, i) => c.elbv2.send(new DescribeTargetGroupAttributesCommand(i)),
  GetItem: (c, i) => c.dynamodb.send(new GetItemCommand(i)),
  UpdateItem: (c, i) => c.dynamodb.send(new UpdateItemCommand(i)),
  Publish: (c, i) => c.sns.send(new PublishCommand(i)),
};

export async function run(): Promise<void> {
  const savedEnv = { ...process.env };
  const sim = account().install();
  try {
    configureHandler({ POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' });
    const started = performance.now();
    await handler(spotNotice());
    const handlerMs = performance.now() - started;
    const summary = JSON.parse(sim.published[0]!.Message!) as { steps: { step: string; durationMs: number; detail: { targetsDeregistered: number } }[] };
    const deregister = summary.steps.find((s) => s.step === 'deregister')!;
    const recorded = [...sim.calls];

    // Baseline: the same calls, in the same order, each awaited before the next, on a fresh account.
    const fresh = account();
    sim.targetGroups = fresh.targetGroups;
    sim.instances.set(INSTANCE_ID, clusterNode());
    sim.table.clear();
    const clients = createAwsClients('eu-west-1');
    let deregisterBaselineMs = 0;
    const baselineStarted = performance.now();
    for (const call of recorded) {
      const t = performance.now();
      await COMMANDS[call.command]!(clients, call.input);
      if (DEREGISTER_CALLS.has(call.command)) deregisterBaselineMs += performance.now() - t;
    }
    const baselineMs = performance.now() - baselineStarted;

    const counts = Object.entries(recordedCounts(recorded)).map(([k, v]) => `${k}=${v}`).join(' ');
    const concurrency = process.env.DEREGISTER_CONCURRENCY ?? '16';
    console.log(`termination-handler: ${GROUPS} target groups, ${CALL_DELAY_MS} ms per AWS call, ${deregister.detail.targetsDeregistered} targets deregistered`);
    console.log(`  handler (concurrency ${concurrency}): all deregistrations done in ${deregister.durationMs} ms; whole invocation ${handlerMs.toFixed(0)} ms`);
    console.log(`  sequential baseline (same ${recorded.length} calls, one at a time): deregistration calls ${deregisterBaselineMs.toFixed(0)} ms; all calls ${baselineMs.toFixed(0)} ms`);
    console.log(`  speed-up on deregistration: ${(deregisterBaselineMs / Math.max(1, deregister.durationMs)).toFixed(1)}x`);
    console.log(`  API calls: ${counts}`);
  } finally {
    sim.restore();
    process.env = savedEnv;
  }
}

function recordedCounts(calls: readonly { command: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.command] = (out[c.command] ?? 0) + 1;
  return out;
}

if (require.main === module) void run();
