import { NOTICE_SOURCES, SIGNAL_KINDS } from '../../contract/interruption-notice';
import { METRIC_DIMENSIONS, METRIC_NAMES, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/termination-handler/metrics';
import { HANDLER_STEPS } from '../../constructs/interruption/operations';
import { only } from '../support/synth';
import { handlerRef, synthOperations } from './support';

/** What exists in CloudWatch: the handler's EMF metrics (metrics.ts) and the AWS metrics we graph. */
const EMITTED: Record<string, readonly string[]> = {
  [METRICS_NAMESPACE]: Object.values(METRIC_NAMES),
  'AWS/Lambda': ['Duration', 'Errors', 'Throttles'],
  'AWS/SQS': ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage'],
};
/** The dimension set the handler emits each of its metrics with (see metrics.ts and __tests__/lambda/metrics.test.ts). */
function emittedDimensions(name: string): string[] {
  if (name === METRIC_NAMES.NoticesReceived) return ['service', METRIC_DIMENSIONS.Source, METRIC_DIMENSIONS.Signal];
  if (name === METRIC_NAMES.StepSucceeded || name === METRIC_NAMES.StepFailed) return ['service', METRIC_DIMENSIONS.Step];
  return ['service'];
}
const ALLOWED_VALUES: Record<string, readonly string[]> = {
  service: [SERVICE_NAME], Source: NOTICE_SOURCES, Signal: SIGNAL_KINDS, Step: HANDLER_STEPS,
};

interface MetricLine { widget: string; namespace: string; name: string; dimensions: Record<string, string>; options: any }

function metricLines(body: any): MetricLine[] {
  return body.widgets.filter((w: any) => w.type === 'metric').flatMap((w: any) =>
    w.properties.metrics
      .filter((row: any[]) => typeof row[0] === 'string')
      .map((row: any[]) => {
        const hasOptions = typeof row[row.length - 1] === 'object';
        const [namespace, name, ...pairs] = hasOptions ? row.slice(0, -1) : row;
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
        return { widget: w.properties.title, namespace, name, dimensions, options: hasOptions ? row[row.length - 1] : {} };
      }));
}

/** Every graph line that names a metric nobody emits, or the handler's metric with the wrong dimensions. */
function problems(body: any): string[] {
  return metricLines(body).flatMap((m) => {
    if (!EMITTED[m.namespace]?.includes(m.name)) return [`${m.widget}: ${m.namespace}/${m.name} is never emitted`];
    if (m.namespace !== METRICS_NAMESPACE) return [];
    const dims = Object.keys(m.dimensions).sort();
    if (dims.join() !== emittedDimensions(m.name).sort().join()) return [`${m.widget}: ${m.name} has dimensions ${dims}, emitted with ${emittedDimensions(m.name)}`];
    return Object.entries(m.dimensions).filter(([k, v]) => !ALLOWED_VALUES[k]?.includes(v)).map(([k, v]) => `${m.widget}: ${m.name} ${k}=${v} never emitted`);
  });
}

describe('InterruptionDashboard', () => {
  const tf = synthOperations();
  const dashboard = only(tf, 'aws_cloudwatch_dashboard');
  const body = JSON.parse(dashboard.dashboard_body);
  const widget = (title: string) => body.widgets.find((w: any) => w.properties.title === title);
  const lines = metricLines(body);

  it('names no metric the handler (or AWS) never emits, with the dimensions it is emitted with', () => {
    expect(lines.length).toBeGreaterThan(20);
    expect(problems(body)).toEqual([]);
  });

  it('the check above catches a misspelt metric, a wrong dimension set and an unknown step', () => {
    const broken = structuredClone(body);
    const steps = broken.widgets.find((w: any) => w.properties.title === 'Step results').properties.metrics;
    steps.push([METRICS_NAMESPACE, 'StepFailures', 'service', SERVICE_NAME, 'Step', 'verify', {}]);
    steps.push([METRICS_NAMESPACE, METRIC_NAMES.StepFailed, 'service', SERVICE_NAME, {}]);
    steps.push([METRICS_NAMESPACE, METRIC_NAMES.StepFailed, 'service', SERVICE_NAME, 'Step', 'drain', {}]);
    expect(problems(broken)).toHaveLength(3);
  });

  it('graphs notices per source (summing every signal) plus duplicates and refusals', () => {
    const rows = widget('Notices by source').properties.metrics;
    const expressions = rows.filter((r: any[]) => r[0].expression).map((r: any[]) => r[0]);
    expect(expressions.map((e: any) => e.label)).toEqual(NOTICE_SOURCES.map((s) => `received from ${s}`));
    const ids = new Map(lines.filter((l) => l.widget === 'Notices by source' && l.options.id).map((l) => [l.options.id, l]));
    for (const [i, source] of NOTICE_SOURCES.entries()) {
      const summed = /^SUM\(\[(.*)\]\)$/.exec(expressions[i].expression)![1].split(', ');
      expect(summed.map((id) => ids.get(id)!.dimensions.Source)).toEqual(SIGNAL_KINDS.map(() => source));
      expect(summed.map((id) => ids.get(id)!.dimensions.Signal).sort()).toEqual([...SIGNAL_KINDS].sort());
    }
    const names = lines.filter((l) => l.widget === 'Notices by source').map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining([METRIC_NAMES.DuplicatesIgnored, METRIC_NAMES.NoticesRefused]));
  });

  it('graphs success and failure of every step', () => {
    const stepLines = lines.filter((l) => l.widget === 'Step results');
    for (const step of HANDLER_STEPS) {
      expect(stepLines.filter((l) => l.dimensions.Step === step).map((l) => l.name).sort()).toEqual([METRIC_NAMES.StepFailed, METRIC_NAMES.StepSucceeded]);
    }
  });

  it('graphs notice-to-done p50 and p99 against the alarm threshold, and targets deregistered', () => {
    const latency = lines.filter((l) => l.widget === 'Notice to done (ms)');
    expect(latency.map((l) => [l.name, l.options.stat])).toEqual([
      [METRIC_NAMES.NoticeToDoneMs, 'p50'], [METRIC_NAMES.NoticeToDoneMs, 'p99'],
      [METRIC_NAMES.NoticeToLastDeregistrationMs, 'p50'], [METRIC_NAMES.NoticeToLastDeregistrationMs, 'p99'],
    ]);
    expect(lines.filter((l) => l.widget === 'Waves and AWS API throttling').map((l) => l.name)).toEqual([METRIC_NAMES.WaveSize, METRIC_NAMES.ThrottledCalls]);
    expect(widget('Notice to done (ms)').properties.annotations.horizontal[0].value).toBe(60_000);
    expect(lines.filter((l) => l.widget === 'Targets deregistered').map((l) => l.name)).toContain(METRIC_NAMES.TargetsDeregistered);
  });

  it('graphs the failure queue depth and the function duration and errors of this handler', () => {
    expect(lines.filter((l) => l.widget === 'Failure queue (parked notices)')[0]).toMatchObject({
      namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: handlerRef.failureQueueName },
    });
    const fn = lines.filter((l) => l.widget === 'Lambda duration and errors');
    expect(new Set(fn.map((l) => l.name))).toEqual(new Set(['Duration', 'Errors', 'Throttles']));
    expect(fn.every((l) => l.dimensions.FunctionName === handlerRef.functionName)).toBe(true);
  });

  it('shows every alarm in a status strip, and lays widgets out without overlap, each with a region', () => {
    const alarmWidget = body.widgets.find((w: any) => w.type === 'alarm');
    expect(alarmWidget.properties.alarms).toHaveLength(Object.keys(tf.resource!.aws_cloudwatch_metric_alarm).length);
    const cells = new Set<string>();
    for (const w of body.widgets) {
      if (w.type === 'metric') expect(w.properties.region).toMatch(/data\.aws_region/);
      for (let x = w.x; x < w.x + w.width; x++) for (let y = w.y; y < w.y + w.height; y++) {
        expect(cells.has(`${x},${y}`)).toBe(false);
        cells.add(`${x},${y}`);
      }
      expect(w.x + w.width).toBeLessThanOrEqual(24);
    }
    expect(dashboard.dashboard_name).toBe('demo-interruptions');
  });
});
