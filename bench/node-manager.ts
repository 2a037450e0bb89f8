/**
 * node-manager bench: detection latency (notice set in the fake IMDS → invoke received by the fake
 * Lambda) at the default 2 s poll interval, and the daemon's steady RSS twice: on an uninterrupted
 * node (what every node pays, all the time) and after notices and a drain (drain.js loaded).
 * Runs the esbuild bundle, as the image does, in the default configuration (draining on,
 * against a fake Kubernetes API). Prints numbers; targets: latency ≤ poll interval + 0.3 s, RSS ≤ 64 MiB.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeImds } from '../__tests__/fakes/imds';
import { FakeLambdaEndpoint } from '../__tests__/fakes/lambda-endpoint';
import { DaemonProcess, testEnv } from '../__tests__/node-manager/helpers/daemon-process';
import { FakeKubeApi } from '../__tests__/fakes/kube-api';
import { bundleNodeManager } from '../images/node-manager/build';

const SAMPLES = 5;
const POLL_INTERVAL_MS = 2000; // the daemon's default
const STEADY_AFTER_MS = 10_000;

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? Number.NaN) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'node-manager-bench-'));
  const { outfile } = await bundleNodeManager(join(dir, 'main.js'));
  const [imds, lambda, kube] = await Promise.all([
    FakeImds.start(),
    FakeLambdaEndpoint.start(),
    FakeKubeApi.start('bench-node', [{ namespace: 'shop', name: 'web-1', ownerKind: 'ReplicaSet' }]),
  ]);
  const daemon = DaemonProcess.spawn(
    testEnv({
      AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
      IMDS_TIMEOUT_MS: '1000',
      DRAIN_ENABLED: 'true',
      NODE_NAME: 'bench-node',
      KUBECONFIG: kube.writeKubeconfig(),
    }),
    outfile,
  );
  const startedAt = Date.now();
  try {
    await daemon.waitForLog((l) => l.msg === 'watching instance');
    await sleep(Math.max(0, STEADY_AFTER_MS - (Date.now() - startedAt)));
    const idleRss = rssMiB(daemon.child.pid ?? 0);
    const interruptedAt = Date.now();
    const latencies: number[] = [];
    let firstSetAt = 0;
    for (let i = 0; i < SAMPLES; i++) {
      await sleep(Math.random() * POLL_INTERVAL_MS); // land anywhere in the poll cycle
      const setAt = Date.now();
      firstSetAt ||= setAt;
      imds.setSpotAction({ action: 'terminate', time: new Date(setAt + 120_000 + i).toISOString() });
      const invocations = await lambda.waitForInvocations(i + 1, 3 * POLL_INTERVAL_MS);
      latencies.push(invocations[i].at - setAt);
    }
    await daemon.waitForLog((l) => l.msg === 'drain finished', 3 * POLL_INTERVAL_MS).catch(() => undefined);
    await sleep(Math.max(0, STEADY_AFTER_MS - (Date.now() - interruptedAt)));
    const rss = rssMiB(daemon.child.pid ?? 0);
    const drained = daemon.logs.find((l) => l.msg === 'drain finished');
    const sorted = [...latencies].sort((a, b) => a - b);
    const fmt = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
    console.log(`node-manager detection latency @ ${POLL_INTERVAL_MS} ms poll (${SAMPLES} samples): ${latencies.map(fmt).join(', ')}`);
    console.log(`node-manager detection latency: median ${fmt(sorted[Math.floor(SAMPLES / 2)])}, max ${fmt(sorted[SAMPLES - 1])} (target ≤ ${fmt(POLL_INTERVAL_MS + 300)})`);
    console.log(`node-manager steady RSS, uninterrupted node after ${(STEADY_AFTER_MS / 1000).toFixed(0)} s: ${idleRss.toFixed(1)} MiB (target ≤ 64 MiB)`);
    console.log(`node-manager steady RSS ${(STEADY_AFTER_MS / 1000).toFixed(0)} s after notices and a drain: ${rss.toFixed(1)} MiB`);
    const drainMs = drained ? fmt(Date.parse(String(drained.time)) - firstSetAt) : 'n/a';
    console.log(`node-manager invokes: ${lambda.invocations.length} accepted for ${SAMPLES} notices; drain: ${drained?.result ?? 'not finished'} (${drainMs} after the first notice)`);
  } finally {
    await daemon.stop();
    await Promise.all([imds.close(), lambda.close(), kube.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
