/** The EMF lines of a clean run and of a partial failure, parsed as CloudWatch would read them. */
import { handler } from '../../lambda/termination-handler';
import { METRIC_DIMENSIONS, METRIC_NAMES, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambda/termination-handler/metrics';
import { captureOutput, type EmfLine } from './support/capture-output';
import { configureHandler, spotNotice, standardAccount } from './support/fixtures';
import { awsErrors, SimulatedAws } from './support/simulated-aws';

interface Datapoint { name: string; value: unknown; unit: string; dimensions: Record<string, string> }

/** Flatten EMF lines into (metric, value, dimensions) points. */
function datapoints(lines: EmfLine[]): Datapoint[] {
  return lines.flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((directive) => {
      expect(directive.Namespace).toBe(METRICS_NAMESPACE);
      const dimensionNames = directive.Dimensions.flat();
      const dimensions = Object.fromEntries(dimensionNames.map((d) => [d, String(line[d])]));
      return directive.Metrics.map((m) => ({ name: m.Name, value: line[m.Name], unit: m.Unit, dimensions }));
    }),
  );
}

describe('metrics', () => {
  let sim: SimulatedAws;
  let output: ReturnType<typeof captureOutput>;
  beforeEach(() => {
    sim = standardAccount(new SimulatedAws().install());
    configureHandler();
    output = captureOutput();
  });
  afterEach(() => { output.restore(); sim.restore(); });

  const find = (points: Datapoint[], name: string, dims: Record<string, string> = {}) =>
    points.filter((p) => p.name === name && Object.entries(dims).every(([k, v]) => p.dimensions[k] === v));

  it('a clean run: received, one success per step that ran, targets, slow groups and latency', async () => {
    await handler(spotNotice());
    const points = datapoints(output.emf());

    expect(find(points, METRIC_NAMES.NoticesReceived)).toEqual([
      { name: 'NoticesReceived', value: 1, unit: 'Count', dimensions: { service: SERVICE_NAME, Source: 'node-manager', Signal: 'spot-interruption' } },
    ]);
    const succeeded = find(points, METRIC_NAMES.StepSucceeded).map((p) => p.dimensions[METRIC_DIMENSIONS.Step]).sort();
    // monitoring is `none` here: skipped, so neither succeeded nor failed.
    expect(succeeded).toEqual(['deregister', 'notify', 'quarantine', 'verify']);
    expect(find(points, METRIC_NAMES.StepFailed)).toEqual([]);
    expect(find(points, METRIC_NAMES.TargetsDeregistered)).toEqual([
      { name: 'TargetsDeregistered', value: 6, unit: 'Count', dimensions: { service: SERVICE_NAME } },
    ]);
    expect(find(points, METRIC_NAMES.SlowDeregistrationGroups)[0]!.value).toBe(1);
    const [latency] = find(points, METRIC_NAMES.NoticeToDoneMs);
    expect(latency!.unit).toBe('Milliseconds');
    // The notice time is 110 s ahead, so the warning was issued 10 s ago.
    expect(latency!.value).toBeGreaterThanOrEqual(10_000);
    expect(latency!.value).toBeLessThan(60_000);
  });

  it('a partial failure: StepFailed for the failed step, the others succeeded', async () => {
    sim.fail('DeregisterTargets', () => awsErrors.accessDenied());
    await expect(handler(spotNotice())).rejects.toThrow();
    const points = datapoints(output.emf());

    expect(find(points, METRIC_NAMES.StepFailed)).toEqual([
      { name: 'StepFailed', value: 1, unit: 'Count', dimensions: { service: SERVICE_NAME, Step: 'deregister' } },
    ]);
    expect(find(points, METRIC_NAMES.StepSucceeded).map((p) => p.dimensions.Step).sort()).toEqual(['notify', 'quarantine', 'verify']);
    expect(find(points, METRIC_NAMES.TargetsDeregistered)[0]!.value).toBe(0);
  });

  it('a duplicate and a refusal are counted', async () => {
    const notice = spotNotice();
    await handler(notice);
    output.clear();
    await handler({ ...notice, source: 'eventbridge', nodeName: undefined });
    expect(find(datapoints(output.emf()), METRIC_NAMES.DuplicatesIgnored)[0]!.value).toBe(1);
    expect(find(datapoints(output.emf()), METRIC_NAMES.NoticesReceived)[0]!.dimensions.Source).toBe('eventbridge');

    output.clear();
    await handler(spotNotice({ instanceId: 'i-0000000000000dead' }));
    const points = datapoints(output.emf());
    expect(find(points, METRIC_NAMES.NoticesRefused)[0]!.value).toBe(1);
    expect(find(points, METRIC_NAMES.StepSucceeded)).toEqual([]);
  });
});
