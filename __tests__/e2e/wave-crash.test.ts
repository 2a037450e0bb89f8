/**
 * A crash halfway through a wave loses no notice: the REAL bundle runs in Lambda-like containers
 * (bench/wave/platform.ts) on the bucket-enforcing fake; the container leading the wave is killed after
 * part of the deregistrations went out. A waiting invocation takes the lease over when it expires, Lambda
 * retries the crashed invocation, and in the end every registration is gone, every node quarantined,
 * every notice summarised exactly once, and nothing parked.
 */
import { handlerBundle } from './system';
import { startFakeAws, type FakeAws } from '../fakes/aws';
import { seedAccount } from '../../bench/wave/account';
import { LambdaPlatform } from '../../bench/wave/platform';

vi.setConfig({ testTimeout: 90_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let aws: FakeAws | undefined;
let platform: LambdaPlatform | undefined;
afterEach(async () => {
  await platform?.stop();
  await aws?.close();
});

it('finishes every notice of a wave whose leader crashed halfway, with one summary each and nothing parked', async () => {
  aws = await startFakeAws({ rateLimits: { usedByOthers: 0 } });
  const account = seedAccount(aws, { dyingNodes: 3, targetGroups: 40, holding: 30, perGroup: 2, seed: 3 });
  const topicArn = aws.sns.addTopic('interruptions');
  aws.dynamodb.createTable({ name: 'termination-state', partitionKey: 'pk' });
  platform = new LambdaPlatform({
    bundleFile: handlerBundle(),
    reservedConcurrency: 10,
    timeoutMs: 120_000,
    retryDelaysMs: [1000, 2000], // Lambda's are 1 and 2 minutes; the order of events is what is under test
    env: {
      ...aws.env,
      AWS_LAMBDA_FUNCTION_NAME: 'crash-termination-handler',
      CLUSTER_NAME: account.clusterName,
      QUARANTINE_SECURITY_GROUP_ID: account.quarantineSecurityGroupId,
      SUMMARY_TOPIC_ARN: topicArn,
      STATE_TABLE_NAME: 'termination-state',
      WAVE_LEASE_SECONDS: '2',
      FUNCTION_TIMEOUT_SECONDS: '120',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  });
  await platform.prewarm(3);
  const noticeTime = new Date(Math.ceil((Date.now() + 120_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  for (const node of account.dying) {
    platform.invokeAsync({ version: 1, source: 'node-manager', instanceId: node.id, signal: 'spot-interruption', noticeTime, action: 'terminate' });
    await sleep(100);
  }

  // Halfway: some groups deregistered, most not. Kill the container holding the lease.
  const deregistered = () => aws!.callsTo('elbv2', 'DeregisterTargets').filter((c) => !c.errorCode).length;
  while (deregistered() < 8) await sleep(10);
  const lease = aws.dynamodb.items('termination-state').find((i) => i.pk?.S === 'wave#lease');
  const holder = String(lease?.holder?.S ?? '');
  const pid = Number(/^bench-(\d+)-/.exec(holder)?.[1]);
  expect(platform.crash(pid)).toBe(true);
  const liveAtCrash = account.liveDyingRegistrations();
  expect(liveAtCrash).toBeGreaterThan(0);

  await platform.idle();
  expect(platform.completions.some((c) => !c.ok && c.error === 'container crashed')).toBe(true);
  expect(platform.failed).toEqual([]); // nothing parked
  expect(account.liveDyingRegistrations()).toBe(0);
  expect(account.quarantinedNodes()).toBe(3);
  const summarised = aws.sns.published.map((m) => JSON.parse(m.message).instanceId).sort();
  expect(summarised).toEqual(account.dying.map((n) => n.id).sort());
});
