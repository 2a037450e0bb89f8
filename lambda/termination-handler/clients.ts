/**
 * AWS SDK v3 clients, built lazily (so tests and the bench can set the environment first) and shared
 * by every invocation of a container. Region comes from AWS_REGION; endpoints follow the SDK's own
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables, which we deliberately do not override.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { attachPacer, type Pacer } from './pacing';

export interface AwsClients {
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly sns: SNSClient;
  readonly secrets: SecretsManagerClient;
  readonly dynamodb: DynamoDBClient;
  /** Confirms ASG terminations and completes their lifecycle action. */
  readonly autoscaling: AutoScalingClient;
}

/**
 * The notice window is two minutes, so no single call may eat it: 4 attempts at most with the SDK's
 * throttling-aware exponential backoff, and a hung connection is cut after 1 s / a slow response
 * after 3 s. `standard`, not `adaptive`: measured end to end (465 ELBv2 calls, 10 % throttled),
 * adaptive's client-side rate limiter stretched the run past 110 s, standard finished in 10.5 s;
 * our own bounded concurrency already keeps the request rate in check. The options object is
 * turned into a NodeHttpHandler by the SDK itself, so we need no direct dependency on
 * @smithy/node-http-handler.
 */
export const CLIENT_CONFIG = {
  retryMode: 'standard',
  maxAttempts: 4,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
} as const;

/**
 * With a `pacer`, every EC2 and ELBv2 request (each retry attempt too) waits for a token of the account
 * bucket it spends from; see ./pacing.
 */
export function createAwsClients(region: string | undefined = process.env.AWS_REGION, pacer?: Pacer): AwsClients {
  const config = { ...CLIENT_CONFIG, region };
  const ec2 = new EC2Client(config);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  if (pacer) {
    attachPacer(ec2, 'ec2', pacer);
    attachPacer(elbv2, 'elbv2', pacer);
  }
  return {
    ec2,
    elbv2,
    sns: new SNSClient(config),
    secrets: new SecretsManagerClient(config),
    dynamodb: new DynamoDBClient(config),
    autoscaling: new AutoScalingClient(config),
  };
}
