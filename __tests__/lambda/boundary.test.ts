/**
 * Garbage is not an emergency, and secrets stay secret: the handler answers invalid payloads without
 * throwing (no Lambda retry, no failure-queue record, no failed-steps alarm), logs a bounded line, and
 * never lets the webhook URL's path reach logs, SNS or failure records.
 */
import { handler, StepsFailedError } from '../../lambda/termination-handler';
import { METRIC_NAMES } from '../../lambda/termination-handler/metric-names';
import { silenceMonitoring } from '../../lambda/termination-handler/monitoring';
import { configureHandler, SECRET_ARN, spotNotice, spotWarningEvent, stepContext } from './support/fixtures';
import { useHandlerHarness } from './support/handler-harness';

const SECRET_PATH = '/hooks/T0000SECRET/B0000SECRET/XXXXXXXXXXXXXXXXXXXXXXXX';

describe('termination handler boundary', () => {
  const h = useHandlerHarness({ hmacSecret: 'boundary-test-webhook-secret', webhookPath: SECRET_PATH, answerOk: true });

  const emfCount = (name: string) =>
    h.output.emf().filter((l) => l._aws.CloudWatchMetrics.some((m) => m.Metrics.some((x) => x.Name === name))).reduce((n, l) => n + Number(l[name]), 0);

  describe('garbage', () => {
    const huge = 'A'.repeat(5 * 1024 * 1024);
    it.each([
      ['a 5 MiB node name', { ...spotNotice(), nodeName: huge }],
      ['a 5 MiB unknown key', { ...spotNotice(), [huge]: true }],
      ['a 5 MiB detail-type', { ...spotWarningEvent(spotNotice().noticeTime), 'detail-type': huge, detail: { x: huge } }],
      ['a notice for year 9999', spotNotice({ noticeTime: '9999-12-31T23:59:59Z' })],
      ['a number', 42],
    ])('%s is rejected without throwing, counted, logged in a bounded line, and touches no AWS API', async (_name, payload) => {
      const result = await handler(payload);
      expect(result.status === 'rejected' || result.status === 'ignored').toBe(true);
      expect(h.sim.calls).toEqual([]);
      expect(h.webhook.requests).toEqual([]);
      expect(emfCount(METRIC_NAMES.NoticesRejected) + emfCount(METRIC_NAMES.NoticesIgnored)).toBe(1);
      expect(emfCount(METRIC_NAMES.NoticesReceived)).toBe(0);
      const logged = h.output.logs().map((l) => JSON.stringify(l));
      expect(logged).toHaveLength(1);
      expect(logged[0]!.length).toBeLessThan(2048); // a 5 MiB field once produced 15.7 MB of logs
    });

    it('a year-9999 notice is rejected naming noticeTime, so it can never mute monitoring for ever', async () => {
      await expect(handler(spotNotice({ noticeTime: '9999-12-31T23:59:59Z' }))).resolves.toEqual({
        status: 'rejected', reason: expect.stringMatching(/^noticeTime: 9999-12-31T23:59:59Z is more than 6 h ahead/),
      });
      expect(emfCount(METRIC_NAMES.NoticesRejected)).toBe(1);
    });
  });

  describe("the webhook URL's path", () => {
    it('never reaches SNS, logs or the failure record when the webhook fails', async () => {
      h.webhook.respondWith((req) => ({ status: 404, body: { error: `no route ${req.path}` } }));
      const error = await handler(spotNotice()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepsFailedError);
      expect(h.webhook.requests.map((r) => r.path)).toEqual([SECRET_PATH]); // it was called at the secret path…
      const everything = [
        (error as Error).message,
        JSON.stringify((error as StepsFailedError).failures),
        ...h.sim.published.map((p) => `${p.Subject} ${p.Message}`),
        ...h.output.logs().map((l) => JSON.stringify(l)),
      ].join('\n');
      expect(everything).toContain('webhook POST 127.0.0.1'); // …and the failure names the host
      expect(everything).not.toContain('T0000SECRET');
    });

    it('never reaches the step failure on a network error either', async () => {
      configureHandler({ MONITORING_PROVIDER: 'webhook', MONITORING_SECRET_ARN: SECRET_ARN, WEBHOOK_URL: `http://127.0.0.1:9${SECRET_PATH}` });
      const ctx = await stepContext(h.sim, { MONITORING_PROVIDER: 'webhook', MONITORING_SECRET_ARN: SECRET_ARN, WEBHOOK_URL: `http://127.0.0.1:9${SECRET_PATH}` });
      const outcome = await silenceMonitoring(ctx, new Map());
      expect(outcome.failures).toHaveLength(1);
      expect(JSON.stringify(outcome.failures)).not.toContain('SECRET');
    });
  });
});
