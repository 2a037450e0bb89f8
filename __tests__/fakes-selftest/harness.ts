/**
 * Starts the fakes and builds REAL SDK v3 clients that find them only through the environment
 * (`AWS_ENDPOINT_URL_<SERVICE>`, region, credentials) — the way the daemon and Lambda will.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../fakes/aws';

export interface Harness {
  readonly aws: FakeAws;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBClient;
  readonly secrets: SecretsManagerClient;
  readonly sqs: SQSClient;
  /** Clients with other settings (e.g. `maxAttempts: 1`), still configured from the env. */
  clients(config: { maxAttempts?: number }): Omit<Harness, 'aws' | 'clients' | 'close'>;
  close(): Promise<void>;
}

export async function startHarness(options: FakeAwsOptions = {}): Promise<Harness> {
  const aws = await startFakeAws(options);
  const saved = Object.fromEntries(Object.keys(aws.env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, aws.env);
  const made: Array<{ destroy(): void }> = [];
  const clients = (config: { maxAttempts?: number }) => {
    const set = {
      ec2: new EC2Client(config),
      elbv2: new ElasticLoadBalancingV2Client(config),
      sns: new SNSClient(config),
      dynamodb: new DynamoDBClient(config),
      secrets: new SecretsManagerClient(config),
      sqs: new SQSClient(config),
    };
    made.push(...Object.values(set));
    return set;
  };
  return {
    aws,
    ...clients({}),
    clients,
    async close() {
      for (const c of made) c.destroy();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await aws.close();
    },
  };
}
