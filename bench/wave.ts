/**
 * `npm run bench -- wave`: waves of interruption notices under AWS's real API rate limits.
 *
 * The REAL bundled handler runs in Lambda-like containers (../bench/wave/platform.ts: async invoke,
 * reserved concurrency, timeout, retries after 1 and 2 minutes, on-failure destination) against the fake
 * AWS enforcing AWS's token buckets, with a share of each already spent by other clients. Every notice
 * comes twice, from node-manager and (a moment later) from EventBridge, as it does in a cluster.
 * Time is not compressed: buckets refill in real time, so the bench takes a few minutes.
 *
 * Floor = (groups holding a dying target − Register/Deregister burst) ÷ refill, both less the share used
 * by others: the time no design can beat. Targets (printed, not asserted): one notice ≤ 12 s; waves
 * ≤ 1.25 × floor + 5 s, every node quarantined, nothing parked; < 5 % of calls throttled.
 */
import { join } from 'node:path';
import { bundleNodeEntry } from '../constructs/interruption/node-bundle';
import { packagePath, packageRoot } from '../constructs/package-paths';
import { startFakeAws, DOCUMENTED_LIMITS } from '../__tests__/fakes/aws';
import { seedAccount, type AccountSpec } from './wave/account';
import { LambdaPlatform } from './wave/platform';

interface Scenario extends AccountSpec {
  readonly name: string;
  readonly usedByOthers: number;
  /** Notices arrive spread over this long. */
  readonly arrivalSpreadMs: number;
  /** Printed target in seconds, from the floor. */
  readonly target: (floorSeconds: number) => number;
}

const SCENARIOS: Scenario[] = [
  { name: 'one notice, 100 target groups, full budget', dyingNodes: 1, targetGroups: 100, holding: 42, perGroup: 1, usedByOthers: 0, arrivalSpreadMs: 0, target: () => 12 },
  { name: '20 notices within 4 s, 300 target groups (180 holding), 25 % used by others', dyingNodes: 20, targetGroups: 300, holding: 180, perGroup: 14, usedByOthers: 0.25, arrivalSpreadMs: 4000, target: (f) => 1.25 * f + 5 },
  { name: '20 notices within 4 s, 500 target groups (300 holding), 25 % used by others', dyingNodes: 20, targetGroups: 500, holding: 300, perGroup: 14, usedByOthers: 0.25, arrivalSpreadMs: 4000, target: (f) => 1.25 * f + 5 },
];

/** As the construct configures the function. */
const RESERVED_CONCURRENCY = 100;
const TIMEOUT_MS = 180_000;
const GIVE_UP_MS = 420_000;

export async function run(): Promise<void> {
  const only = process.env.WAVE_SCENARIO ? Number(process.env.WAVE_SCENARIO) : undefined;
  const bundleFile = join(bundleNodeEntry(packagePath('lambda', 'termination-handler', 'index.ts'), packageRoot()), 'index.js');
  console.log(`wave: real bundle, reserved concurrency ${RESERVED_CONCURRENCY}, timeout ${TIMEOUT_MS / 1000} s, retries after 60 s and 120 s, buckets refill in real time`);
  console.log('  containers are started before the first notice (no cold start in these numbers; Lambda adds about 1 s)');
  for (const [i, scenario] of SCENARIOS.entries()) {
    if (only !== undefined && only !== i + 1) continue;
    await runScenario(scenario, bundleFile);
  }
}

async function runScenario(s: Scenario, bundleFile: string): Promise<void> {
  const aws = await startFakeAws({ rateLimits: { usedByOthers: s.usedByOthers } });
  const account = seedAccount(aws, s);
  const topicArn = aws.sns.addTopic('interruptions');
  aws.dynamodb.createTable({ name: 'termination-state', partitionKey: 'pk' });
  const platform = new LambdaPlatform({
    bundleFile,
    reservedConcurrency: RESERVED_CONCURRENCY,
    timeoutMs: TIMEOUT_MS,
    env: {
      ...aws.env,
      AWS_LAMBDA_FUNCTION_NAME: 'bench-termination-handler',
      CLUSTER_NAME: account.clusterName,
      QUARANTINE_SECURITY_GROUP_ID: account.quarantineSecurityGroupId,
      SUMMARY_TOPIC_ARN: topicArn,
      STATE_TABLE_NAME: 'termination-state',
      FUNCTION_TIMEOUT_SECONDS: String(TIMEOUT_MS / 1000),
      POWERTOOLS_LOG_LEVEL: 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
  });
  const registration = DOCUMENTED_LIMITS.elbv2Registration;
  const keep = 1 - s.usedByOthers;
  const floor = Math.max(0, (s.holding - registration.capacity * keep) / (registration.refillPerSecond * keep));

  await platform.prewarm(2 * s.dyingNodes);
  const started = Date.now();
  const actionTime = new Date(Math.ceil((started + 120_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const arrivals = account.dying.map((node, i) => ({ node, at: s.dyingNodes === 1 ? 0 : Math.round((i / (s.dyingNodes - 1)) * s.arrivalSpreadMs) }));
  const timers = arrivals.flatMap(({ node, at }) => [
    setTimeout(() => platform.invokeAsync({
      version: 1, source: 'node-manager', instanceId: node.id, signal: 'spot-interruption', noticeTime: actionTime, action: 'terminate',
    }), at),
    setTimeout(() => platform.invokeAsync({
      version: '0', id: `bench-${node.id}`, source: 'aws.ec2', account: aws.accountId, region: aws.region,
      'detail-type': 'EC2 Spot Instance Interruption Warning',
      time: new Date(Date.parse(actionTime) - 120_000).toISOString().replace('.000Z', 'Z'),
      resources: [`arn:aws:ec2:${aws.region}:${aws.accountId}:instance/${node.id}`],
      detail: { 'instance-id': node.id, 'instance-action': 'terminate' },
    }), at + 700),
  ]);

  let goneAt: number | undefined;
  let quarantinedAt: number | undefined;
  const watcher = setInterval(() => {
    if (goneAt === undefined && account.liveDyingRegistrations() === 0) goneAt = Date.now();
    if (quarantinedAt === undefined && account.quarantinedNodes() === s.dyingNodes) quarantinedAt = Date.now();
  }, 50);
  await new Promise((r) => setTimeout(r, s.arrivalSpreadMs + 800));
  await Promise.race([platform.idle(), new Promise((r) => setTimeout(r, GIVE_UP_MS))]);
  clearInterval(watcher);
  timers.forEach(clearTimeout);

  const metered = aws.calls.filter((c) => c.service === 'elbv2' || c.service === 'ec2');
  const throttled = metered.filter((c) => c.errorCode === 'Throttling' || c.errorCode === 'RequestLimitExceeded');
  const deregisterCalls = aws.callsTo('elbv2', 'DeregisterTargets').filter((c) => !c.errorCode).length;
  const describeHealth = aws.callsTo('elbv2', 'DescribeTargetHealth').filter((c) => !c.errorCode).length;
  const measured = goneAt === undefined ? undefined : (goneAt - started) / 1000;
  const target = s.target(floor);
  const secs = (n: number | undefined) => (n === undefined ? 'never' : `${n.toFixed(1)} s`);
  const failedRuns = platform.completions.filter((c) => !c.ok);
  console.log(`\n### ${s.name}`);
  console.log(`  dying registrations ${account.dyingRegistrations} in ${s.holding} groups; floor ${floor.toFixed(1)} s; target ≤ ${target.toFixed(1)} s`);
  console.log(`  every registration gone after ${secs(measured)} (${measured === undefined ? 'MISSED' : measured <= target ? 'within target' : 'MISSED'}; ${measured === undefined || floor === 0 ? '-' : (measured / floor).toFixed(2)}× floor); still registered: ${account.liveDyingRegistrations()}`);
  console.log(`  quarantined ${account.quarantinedNodes()}/${s.dyingNodes} nodes (all after ${secs(quarantinedAt === undefined ? undefined : (quarantinedAt - started) / 1000)}); summaries ${aws.sns.published.length}; parked ${platform.failed.length}`);
  console.log(`  ELBv2+EC2 calls ${metered.length}, throttled ${throttled.length} (${((throttled.length / Math.max(1, metered.length)) * 100).toFixed(1)} %, target < 5 %); DescribeTargetHealth ${describeHealth}, DeregisterTargets ${deregisterCalls}`);
  console.log(`  invocations ${platform.completions.length} (${failedRuns.length} failed${failedRuns.length ? `: ${[...new Set(failedRuns.map((f) => f.error))].slice(0, 2).join(' | ')}` : ''}), containers ${platform.containersStarted}`);
  if (process.env.WAVE_TIMELINE) {
    const t = (c: { time: number } | undefined) => (c ? ((c.time - started) / 1000).toFixed(1) : '-');
    const of = (a: string) => aws.calls.filter((c) => c.action === a && !c.errorCode);
    console.log(`  timeline: first call ${t(aws.calls[0])} s; DescribeInstances ${t(of('DescribeInstances')[0])}; DescribeTargetHealth ${t(of('DescribeTargetHealth')[0])}…${t(of('DescribeTargetHealth').at(-1))}; DeregisterTargets ${t(of('DeregisterTargets')[0])}…${t(of('DeregisterTargets').at(-1))}`);
  }
  await platform.stop();
  await aws.close();
}

if (require.main === module) void run();
