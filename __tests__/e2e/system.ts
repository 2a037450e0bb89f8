/**
 * The whole interruption path on loopback: fake IMDS → the REAL node-manager process (the bundle
 * the image ships) → fake Lambda endpoint → the REAL bundled termination handler → fake
 * EC2/ELBv2/SNS/DynamoDB/Secrets Manager and a webhook monitoring endpoint. Everything binds
 * 127.0.0.1 and is closed by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { bundleNodeEntry } from '../../constructs/interruption/node-bundle';
import { packagePath, packageRoot } from '../../constructs/package-paths';
import { startFakeAws, type FakeAws } from '../fakes/aws/server';
import { buildCluster, type Cluster, type ClusterSpec } from '../fakes/aws/scenario';
import { FakeImds } from '../fakes/imds';
import { FakeLambdaEndpoint } from '../fakes/lambda-endpoint';
import { startLocalServer, type RecordedRequest } from '../fakes/recording-server';
import { nodeManagerBundle } from '../support/node-manager-bundle';
import { LambdaRuntime } from './lambda-runtime';

export const FUNCTION_NAME = 'spot-e2e-termination-handler';
export const CLUSTER_NAME = 'spot-e2e';

export interface SystemOptions extends ClusterSpec {
  /** The instance the node-manager runs on. @default the cluster's node under test */
  readonly daemonInstance?: 'node' | 'stranger';
  /** @default 2000 (node-manager's default) */
  readonly pollIntervalMs?: number;
  /** node-manager's ACT_ON. @default its own default */
  readonly actOn?: string;
}

export interface System {
  readonly aws: FakeAws;
  readonly cluster: Cluster;
  readonly imds: FakeImds;
  readonly lambda: FakeLambdaEndpoint;
  readonly runtime: LambdaRuntime;
  /** What the monitoring webhook received (bodies are the raw JSON text). */
  readonly webhook: { readonly requests: readonly RecordedRequest[] };
  readonly topicArn: string;
  stop(): Promise<void>;
}

/**
 * The bundled handler, exactly what the TerminationHandler construct zips. Built before the workers
 * start (global setup) and cached on disk: each call checks the cached bundle's input stamps and
 * rebuilds only after a source changed.
 */
export function handlerBundle(): string {
  return join(bundleNodeEntry(packagePath('lambda', 'termination-handler', 'index.ts'), packageRoot()), 'index.js');
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  const aws = await startFakeAws();
  const cluster = buildCluster(aws, { clusterTag: { key: `kubernetes.io/cluster/${CLUSTER_NAME}`, value: 'owned' }, ...options });
  const topicArn = aws.sns.addTopic('interruptions');
  aws.dynamodb.createTable({ name: 'termination-state', partitionKey: 'pk' });
  const secretArn = aws.secretsManager.putSecret('monitoring', JSON.stringify({ hmacSecret: 'e2e-webhook-signing-key' }));
  const hook = await startLocalServer(() => ({ status: 204 }));

  const runtime = await LambdaRuntime.start(handlerBundle(), {
    ...aws.env,
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    CLUSTER_NAME,
    QUARANTINE_SECURITY_GROUP_ID: cluster.quarantineSecurityGroupId,
    SUMMARY_TOPIC_ARN: topicArn,
    STATE_TABLE_NAME: 'termination-state',
    MONITORING_PROVIDER: 'webhook',
    MONITORING_SECRET_ARN: secretArn,
    WEBHOOK_URL: `${hook.url}/monitoring`,
  });
  const lambda = await FakeLambdaEndpoint.start();
  lambda.onInvoke((invocation) => {
    if (invocation.invocationType === 'Event') runtime.invokeAsync(invocation.payload);
  });

  const instance = options.daemonInstance === 'stranger' ? cluster.stranger : cluster.node;
  const imds = await FakeImds.start({ instanceId: instance.id, lifeCycle: 'spot', region: aws.region });
  const daemon: ChildProcess = spawn(process.execPath, [nodeManagerBundle()], {
    env: {
      PATH: process.env.PATH ?? '',
      ...aws.env,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
      TERMINATION_FUNCTION_NAME: FUNCTION_NAME,
      POLL_INTERVAL_MS: String(options.pollIntervalMs ?? 2000),
      ...(options.actOn ? { ACT_ON: options.actOn } : {}),
      NODE_NAME: 'ip-10-0-1-10.eu-west-1.compute.internal',
      DRAIN_ENABLED: 'false',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  daemon.stdout!.resume();
  daemon.stderr!.resume();

  return {
    aws, cluster, imds, lambda, runtime, topicArn,
    webhook: { requests: hook.requests },
    async stop() {
      const exited = new Promise((r) => daemon.once('exit', r));
      daemon.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      await runtime.stop();
      await Promise.all([imds.close(), lambda.close(), aws.close(), hook.close()]);
    },
  };
}

/** Targets of `instance` still registered and not draining, across every group. */
export function liveRegistrations(system: System, ids: readonly string[]): string[] {
  return [...system.aws.elbv2.targetGroups.values()]
    .flatMap((g) => g.targets.filter((t) => ids.includes(t.id) && t.drainingUntil === undefined).map((t) => `${g.name}:${t.id}:${t.port}`));
}
