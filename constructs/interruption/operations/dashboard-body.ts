/**
 * The dashboard as CloudWatch's dashboard-body JSON, built only from the metric references in
 * handler-metrics.ts (themselves built from METRIC_NAMES), so every graph shows something the
 * handler or AWS actually emits.
 */
import { HANDLER_STEPS, NOTICE_SOURCE_NAMES, handlerMetric, lambdaMetric, noticesReceived, queueMetric, stepMetric, type MetricRef } from './handler-metrics';

export interface DashboardBodyInput {
  readonly region: string;
  readonly functionName: string;
  readonly failureQueueName: string;
  /** Alarms shown as a status strip at the top. */
  readonly alarmArns: readonly string[];
  /** Drawn as a line on the latency graph. */
  readonly noticeToDoneThresholdMs: number;
  readonly periodSeconds: number;
}

type MetricOptions = { id?: string; stat?: string; label?: string; visible?: boolean; yAxis?: 'left' | 'right' };
/** One row of a metric widget: `[namespace, name, dim, value, …, options]`, or an expression. */
export type MetricRow = (string | MetricOptions)[] | [{ expression: string; label: string; id: string }];

export interface Widget {
  readonly type: 'metric' | 'alarm' | 'text';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

const row = (m: MetricRef, options: MetricOptions = {}): MetricRow => [m.namespace, m.metricName, ...Object.entries(m.dimensions).flat(), options];

export function dashboardBody(input: DashboardBodyInput): { widgets: Widget[] } {
  const { region, periodSeconds: period } = input;
  const graph = (title: string, metrics: MetricRow[], extra: Record<string, unknown> = {}) =>
    ({ title, region, period, view: 'timeSeries', stacked: false, metrics, ...extra });
  const place = (x: number, y: number, properties: Record<string, unknown>, type: Widget['type'] = 'metric', width = 12, height = 6): Widget =>
    ({ type, x, y, width, height, properties });

  // Notices by source: the per-signal series are hidden and summed per source.
  const notices: MetricRow[] = NOTICE_SOURCE_NAMES.flatMap((source, s) => {
    const ids = noticesReceived(source).map((_, i) => `n${s}_${i}`);
    return [
      ...noticesReceived(source).map((m, i) => row(m, { id: ids[i], stat: 'Sum', visible: false })),
      [{ expression: `SUM([${ids.join(', ')}])`, label: `received from ${source}`, id: `source${s}` }] as MetricRow,
    ];
  });
  notices.push(row(handlerMetric('DuplicatesIgnored'), { stat: 'Sum', label: 'duplicates ignored' }));
  notices.push(row(handlerMetric('NoticesRefused'), { stat: 'Sum', label: 'refused (not this cluster, or not confirmed)' }));
  notices.push(row(handlerMetric('NoticesUnconfirmed'), { stat: 'Sum', label: 'not confirmed by AWS (forged?)' }));
  notices.push(row(handlerMetric('NoticesRejected'), { stat: 'Sum', label: 'rejected (invalid payload)' }));
  notices.push(row(handlerMetric('NoticesIgnored'), { stat: 'Sum', label: 'ignored (kind not acted on)' }));

  const steps: MetricRow[] = HANDLER_STEPS.flatMap((step) => [
    row(stepMetric('StepSucceeded', step), { stat: 'Sum', label: `${step} succeeded` }),
    row(stepMetric('StepFailed', step), { stat: 'Sum', label: `${step} FAILED` }),
  ]);

  const widgets: Widget[] = [
    // An alarm widget needs at least one alarm; CloudWatch closes the gap when there is none.
    ...(input.alarmArns.length ? [place(0, 0, { title: 'Interruption alarms', alarms: [...input.alarmArns] }, 'alarm', 24, 2)] : []),
    place(0, 2, graph('Notices by source', notices)),
    place(12, 2, graph('Step results', steps)),
    place(0, 8, graph('Notice to done (ms)', [
      row(handlerMetric('NoticeToDoneMs'), { stat: 'p50', label: 'p50' }),
      row(handlerMetric('NoticeToDoneMs'), { stat: 'p99', label: 'p99' }),
      row(handlerMetric('NoticeToLastDeregistrationMs'), { stat: 'p50', label: 'last deregistration p50' }),
      row(handlerMetric('NoticeToLastDeregistrationMs'), { stat: 'p99', label: 'last deregistration p99' }),
    ], { annotations: { horizontal: [{ label: 'p99 alarm', value: input.noticeToDoneThresholdMs }] } })),
    place(12, 8, graph('Targets deregistered', [
      row(handlerMetric('TargetsDeregistered'), { stat: 'Sum', label: 'targets deregistered' }),
      row(handlerMetric('SlowDeregistrationGroups'), { stat: 'Sum', label: 'groups slower than the notice window', yAxis: 'right' }),
    ])),
    place(0, 14, graph('Failure queue (parked notices)', [
      row(queueMetric('ApproximateNumberOfMessagesVisible', input.failureQueueName), { stat: 'Maximum', label: 'visible messages' }),
      row(queueMetric('ApproximateAgeOfOldestMessage', input.failureQueueName), { stat: 'Maximum', label: 'oldest (s)', yAxis: 'right' }),
    ])),
    place(12, 14, graph('Lambda duration and errors', [
      row(lambdaMetric('Duration', input.functionName), { stat: 'p50', label: 'duration p50 (ms)' }),
      row(lambdaMetric('Duration', input.functionName), { stat: 'Maximum', label: 'duration max (ms)' }),
      row(lambdaMetric('Errors', input.functionName), { stat: 'Sum', label: 'errors', yAxis: 'right' }),
      row(lambdaMetric('Throttles', input.functionName), { stat: 'Sum', label: 'throttles', yAxis: 'right' }),
    ])),
    place(0, 20, graph('Waves and AWS API throttling', [
      row(handlerMetric('WaveSize'), { stat: 'Maximum', label: 'notices in one wave (max)' }),
      row(handlerMetric('ThrottledCalls'), { stat: 'Sum', label: 'EC2/ELBv2 calls throttled', yAxis: 'right' }),
    ])),
  ];
  return { widgets };
}
