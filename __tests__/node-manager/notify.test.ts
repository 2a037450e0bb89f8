import { isRetryableInvokeError, Notifier } from '../../images/node-manager/src/notify';
import { createLogger } from '../../images/node-manager/src/logger';
import { DaemonMetrics } from '../../images/node-manager/src/metrics';
import type { InterruptionNotice } from '../../contract/interruption-notice';
import { FakeLambdaEndpoint } from '../fakes/lambda-endpoint';

const notice: InterruptionNotice = {
  version: 1,
  source: 'node-manager',
  instanceId: 'i-0123456789abcdef0',
  nodeName: 'node-a',
  signal: 'spot-interruption',
  noticeTime: '2026-11-22T12:00:00Z',
  action: 'terminate',
};

describe('Notifier (asynchronous Lambda invoke)', () => {
  const saved = { ...process.env };
  let lambda: FakeLambdaEndpoint;
  let metrics: DaemonMetrics;
  let notifier: Notifier;

  beforeEach(async () => {
    lambda = await FakeLambdaEndpoint.start();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    });
    metrics = new DaemonMetrics();
    notifier = new Notifier({
      functionName: 'spot-ready-termination',
      region: 'eu-west-1',
      logger: createLogger('error', () => undefined),
      metrics,
      baseDelayMs: 20,
      maxDelayMs: 100,
    });
  });
  afterEach(async () => {
    notifier.close();
    await lambda.close();
    process.env = { ...saved };
  });

  const counter = async (name: string, labels = '') =>
    (await metrics.registry.getSingleMetricAsString(name)).split('\n').find((l) => l.startsWith(`${name}${labels} `));

  it('invokes once per notice key, asynchronously, with the notice as payload', async () => {
    const deadline = Date.now() + 10_000;
    const results = await Promise.all([
      notifier.deliver(notice, deadline),
      notifier.deliver({ ...notice, noticeTime: '2026-11-22T12:00:00.000Z', action: 'report' }, deadline), // same key
    ]);
    expect(results).toEqual([true, true]);
    expect(lambda.calls).toHaveLength(1);
    expect(lambda.calls[0]).toMatchObject({ functionName: 'spot-ready-termination', invocationType: 'Event', status: 202, payload: notice });
    await notifier.deliver({ ...notice, signal: 'asg-termination' }, deadline);
    expect(lambda.invocations).toHaveLength(2);
  });

  it('retries throttling and server errors until Lambda accepts', async () => {
    lambda.failNext(2, 'throttle');
    lambda.failNext(1, 'server-error');
    await expect(notifier.deliver(notice, Date.now() + 10_000)).resolves.toBe(true);
    expect(lambda.calls.map((c) => c.status)).toEqual([429, 429, 500, 202]);
    expect(await counter('node_manager_lambda_invokes_total', '{result="failed"}')).toMatch(/ 3$/);
    expect(await counter('node_manager_lambda_invokes_total', '{result="sent"}')).toMatch(/ 1$/);
  });

  it('does not retry an error that will not pass (403)', async () => {
    lambda.failNext(1, 'access-denied');
    await expect(notifier.deliver(notice, Date.now() + 10_000)).resolves.toBe(false);
    expect(lambda.calls).toHaveLength(1);
    expect(await counter('node_manager_notices_undelivered_total')).toMatch(/ 1$/);
  });

  it('stops retrying once the deadline has passed', async () => {
    const stop = lambda.onInvoke(() => 'throttle');
    await expect(notifier.deliver(notice, Date.now() + 300)).resolves.toBe(false);
    stop();
    const attempts = lambda.calls.length;
    expect(attempts).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(lambda.calls).toHaveLength(attempts); // nothing after giving up
    expect(lambda.invocations).toHaveLength(0);
  });

  it('classifies SDK errors', () => {
    expect(isRetryableInvokeError(new Error('socket hang up'))).toBe(true);
    expect(isRetryableInvokeError({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isRetryableInvokeError({ name: 'ServiceException', $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isRetryableInvokeError({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } })).toBe(false);
  });
});
