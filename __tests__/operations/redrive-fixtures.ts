/**
 * Fake SQS + fake Lambda on 127.0.0.1 for the redrive tests, found by real SDK clients only through
 * the environment (AWS_ENDPOINT_URL_SQS / AWS_ENDPOINT_URL_LAMBDA), as the CLI finds them.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { manualClock, startFakeAws, type FakeAws, type ManualClock } from '../fakes/aws';
import { FakeLambdaEndpoint } from '../fakes/lambda-endpoint';
import type { RedriveClients } from '../../scripts/redrive/redrive';

export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:demo-termination-handler';

/** A spot notice as node-manager sends it (contract/interruption-notice.ts). */
export function notice(i: number) {
  return {
    version: 1, source: 'node-manager', instanceId: `i-${i.toString(16).padStart(17, '0')}`, nodeName: `ip-10-0-1-${i}.ec2.internal`,
    signal: 'spot-interruption', noticeTime: '2026-11-22T12:00:00.000Z', action: 'terminate',
  };
}

/** What Lambda parks in the on-failure queue once retries are exhausted. */
export function destinationRecord(i: number) {
  return {
    version: '1.0',
    timestamp: '2026-11-22T11:59:40.000Z',
    requestContext: { requestId: `0f1e2d3c-0000-4000-8000-${String(i).padStart(12, '0')}`, functionArn: `${FUNCTION_ARN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: notice(i),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'StepsFailedError', errorMessage: '1 step(s) failed: deregister (AccessDenied)' },
  };
}

export interface RedriveEnv {
  readonly clock: ManualClock;
  readonly aws: FakeAws;
  readonly lambda: FakeLambdaEndpoint;
  /** For a child process: the fakes' endpoints, region and credentials. */
  readonly env: Record<string, string>;
  /** SDK clients without retries, so an injected fault is seen once. */
  readonly clients: RedriveClients;
  /** A new failure queue holding `count` parked records (plus any extra raw bodies). */
  park(count: number, extraBodies?: string[]): Promise<{ url: string; name: string }>;
  bodies(queueName: string): string[];
  close(): Promise<void>;
}

let queues = 0;

export async function startRedriveEnv(): Promise<RedriveEnv> {
  const clock = manualClock();
  const aws = await startFakeAws({ clock: clock.now });
  const lambda = await FakeLambdaEndpoint.start();
  const env = { ...aws.env, AWS_ENDPOINT_URL_LAMBDA: lambda.url };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const clients = { sqs: new SQSClient({ maxAttempts: 1 }), lambda: new LambdaClient({ maxAttempts: 1 }) };
  return {
    clock, aws, lambda, env, clients,
    async park(count, extraBodies = []) {
      const { url, name } = aws.sqs.createQueue(`demo-termination-failures-${++queues}`, { visibilityTimeoutSeconds: 30 });
      const bodies = [...Array.from({ length: count }, (_, i) => JSON.stringify(destinationRecord(i + 1))), ...extraBodies];
      for (const MessageBody of bodies) await clients.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody }));
      return { url, name };
    },
    bodies: (name) => aws.sqs.bodies(name),
    async close() {
      clients.sqs.destroy();
      clients.lambda.destroy();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await Promise.all([lambda.close(), aws.close()]);
    },
  };
}
