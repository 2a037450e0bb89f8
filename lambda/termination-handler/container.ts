/**
 * What lives as long as the Lambda container: validated config, AWS clients, the logger, the metrics
 * buffer and the monitoring-secret cache. Built on the first invocation; `resetContainer()` simulates a
 * cold start in tests.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAwsClients, type AwsClients } from './clients';
import { loadConfig, type Config } from './config';
import { METRICS_NAMESPACE, SERVICE_NAME } from './metrics';
import { Pacer } from './pacing';

export interface Container {
  readonly config: Config;
  readonly clients: AwsClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Client-side token buckets shared by every call this container makes. */
  readonly pacer: Pacer;
  /** Monitoring credentials by secret ARN, fetched once per container. */
  readonly secrets: Map<string, Promise<unknown>>;
}

let current: Container | undefined;

export function container(): Container {
  if (current) return current;
  const config = loadConfig();
  const pacer = new Pacer({ reservedShare: config.apiReservedShare });
  current = {
    config,
    pacer,
    clients: createAwsClients(undefined, pacer),
    logger: new Logger({ serviceName: SERVICE_NAME }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    secrets: new Map(),
  };
  return current;
}

/** Forget everything built for this container (tests: a fresh cold start with a new environment). */
export function resetContainer(): void {
  current = undefined;
}
