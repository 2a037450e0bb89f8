/**
 * The handler's CloudWatch metrics (EMF through Powertools), named ONCE here so the dashboard and its
 * test use the same constants. Every metric also carries Powertools' default `service` dimension.
 *
 * NoticeToDoneMs — from when the notice was observable to the end of the last step. For a spot
 * interruption that is EC2's warning time: the notice time (when EC2 acts) minus the notice window,
 * i.e. the EventBridge event time, which IMDS shows at the same moment. It therefore includes the
 * daemon's polling and delivery delay — the honest end-to-end figure. For other signals the notice
 * time is when the signal was raised; if it lies in the future (scheduled maintenance), the handler's
 * start is used instead.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { InterruptionNotice } from '../../contract/interruption-notice';
import type { DeregisterDetail } from './deregister';
import type { StepResult } from './types';

import { METRIC_DIMENSIONS, METRIC_NAMES } from './metric-names';

export * from './metric-names';

export function recordReceived(metrics: Metrics, notice: InterruptionNotice): void {
  metrics
    .singleMetric()
    .addDimensions({ [METRIC_DIMENSIONS.Source]: notice.source, [METRIC_DIMENSIONS.Signal]: notice.signal })
    .addMetric(METRIC_NAMES.NoticesReceived, MetricUnit.Count, 1);
}

/** One StepSucceeded or StepFailed per step that ran (skipped steps did no work and count as neither). */
export function recordStep(metrics: Metrics, step: string, succeeded: boolean): void {
  metrics
    .singleMetric()
    .addDimension(METRIC_DIMENSIONS.Step, step)
    .addMetric(succeeded ? METRIC_NAMES.StepSucceeded : METRIC_NAMES.StepFailed, MetricUnit.Count, 1);
}

export function recordCount(
  metrics: Metrics,
  name: 'NoticesRefused' | 'NoticesUnconfirmed' | 'NoticesRejected' | 'NoticesIgnored' | 'DuplicatesIgnored',
  value = 1,
): void {
  metrics.addMetric(METRIC_NAMES[name], MetricUnit.Count, value);
}

export function recordOutcome(
  metrics: Metrics,
  results: readonly StepResult[],
  observedAtMs: number,
  doneAtMs: number,
): void {
  for (const r of results) if (r.status !== 'skipped') recordStep(metrics, r.step, r.status === 'succeeded');
  const deregister = results.find((r) => r.step === 'deregister' && r.status !== 'skipped');
  if (deregister?.detail) {
    const detail = deregister.detail as DeregisterDetail;
    metrics.addMetric(METRIC_NAMES.TargetsDeregistered, MetricUnit.Count, detail.targetsDeregistered);
    metrics.addMetric(METRIC_NAMES.SlowDeregistrationGroups, MetricUnit.Count, detail.slowGroups.length);
  }
  metrics.addMetric(METRIC_NAMES.NoticeToDoneMs, MetricUnit.Milliseconds, Math.max(0, doneAtMs - observedAtMs));
  const last = (deregister?.detail as DeregisterDetail | undefined)?.lastDeregisteredAt;
  if (last) metrics.addMetric(METRIC_NAMES.NoticeToLastDeregistrationMs, MetricUnit.Milliseconds, Math.max(0, Date.parse(last) - observedAtMs));
}

/** Once per wave, by its leader: how many notices it took, and how many calls AWS throttled. */
export function recordWave(metrics: Metrics, notices: number, throttledCalls: number): void {
  metrics.addMetric(METRIC_NAMES.WaveSize, MetricUnit.Count, notices);
  metrics.addMetric(METRIC_NAMES.ThrottledCalls, MetricUnit.Count, throttledCalls);
}

/** See the module comment: when the notice became observable. */
export function observedAt(notice: InterruptionNotice, windowSeconds: number, handlerStartMs: number): number {
  const noticeMs = Date.parse(notice.noticeTime);
  if (notice.signal === 'spot-interruption') return noticeMs - windowSeconds * 1000;
  return Math.min(noticeMs, handlerStartMs);
}
