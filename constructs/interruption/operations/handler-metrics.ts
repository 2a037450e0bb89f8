/**
 * Where the termination handler's numbers live in CloudWatch: its own EMF metrics (names and
 * dimension sets exactly as lambda/termination-handler/metrics.ts emits them) and the AWS/Lambda
 * and AWS/SQS metrics of its function and failure queue. Alarms and the dashboard use only these,
 * so a graph or alarm can never watch a metric nobody emits.
 */
import { NOTICE_SOURCES, SIGNAL_KINDS, type NoticeSource } from '../../../contract/interruption-notice';
import { METRIC_DIMENSIONS, METRIC_NAMES, METRICS_NAMESPACE, SERVICE_NAME } from '../../../lambda/termination-handler/metric-names';
import { ACTION_STEPS } from '../../../lambda/termination-handler/types';

/** Powertools adds `service` (its default dimension) to every metric it emits. */
export const SERVICE_DIMENSION = 'service';

/** Every step the handler records StepSucceeded/StepFailed for: verify, the action steps, notify. */
export const HANDLER_STEPS = ['verify', ...ACTION_STEPS, 'notify'] as const;
export type HandlerStep = (typeof HANDLER_STEPS)[number];

export const LAMBDA_NAMESPACE = 'AWS/Lambda';
export const SQS_NAMESPACE = 'AWS/SQS';
export type LambdaMetricName = 'Errors' | 'Throttles' | 'Duration' | 'Invocations';
export type QueueMetricName = 'ApproximateNumberOfMessagesVisible' | 'ApproximateAgeOfOldestMessage';

export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

type PlainMetric = Exclude<keyof typeof METRIC_NAMES, 'NoticesReceived' | 'StepSucceeded' | 'StepFailed'>;

/** A handler metric that carries only the `service` dimension. */
export function handlerMetric(name: PlainMetric): MetricRef {
  return { namespace: METRICS_NAMESPACE, metricName: METRIC_NAMES[name], dimensions: { [SERVICE_DIMENSION]: SERVICE_NAME } };
}

export function stepMetric(name: 'StepSucceeded' | 'StepFailed', step: HandlerStep): MetricRef {
  return {
    namespace: METRICS_NAMESPACE,
    metricName: METRIC_NAMES[name],
    dimensions: { [SERVICE_DIMENSION]: SERVICE_NAME, [METRIC_DIMENSIONS.Step]: step },
  };
}

/** NoticesReceived from one source: one metric per signal kind (CloudWatch needs the full dimension set). */
export function noticesReceived(source: NoticeSource): MetricRef[] {
  return SIGNAL_KINDS.map((signal) => ({
    namespace: METRICS_NAMESPACE,
    metricName: METRIC_NAMES.NoticesReceived,
    dimensions: { [SERVICE_DIMENSION]: SERVICE_NAME, [METRIC_DIMENSIONS.Source]: source, [METRIC_DIMENSIONS.Signal]: signal },
  }));
}

export const NOTICE_SOURCE_NAMES: readonly NoticeSource[] = NOTICE_SOURCES;

export function lambdaMetric(name: LambdaMetricName, functionName: string): MetricRef {
  return { namespace: LAMBDA_NAMESPACE, metricName: name, dimensions: { FunctionName: functionName } };
}

export function queueMetric(name: QueueMetricName, queueName: string): MetricRef {
  return { namespace: SQS_NAMESPACE, metricName: name, dimensions: { QueueName: queueName } };
}
