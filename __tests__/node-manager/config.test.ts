import { ConfigError, loadConfig } from '../../images/node-manager/src/config';
import { DaemonProcess, testEnv } from './helpers/daemon-process';

const minimal = { TERMINATION_FUNCTION_NAME: 'term', DRAIN_ENABLED: 'false' };

function issuesOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('node-manager config', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ TERMINATION_FUNCTION_NAME: 'term', NODE_NAME: 'n1', KUBERNETES_SERVICE_HOST: '10.0.0.1' });
    expect(config).toMatchObject({
      functionName: 'term',
      pollIntervalMs: 2000,
      drainEnabled: true,
      dryRun: false,
      httpPort: 9400,
      imds: { endpoint: 'http://169.254.169.254', timeoutMs: 1000, tokenTtlSeconds: 21600 },
      redelivery: { pauseMs: 1000, maxPauseMs: 30000 },
    });
    expect([...config.actOn]).toEqual(['spot-interruption', 'asg-termination', 'instance-state-change']); // DEFAULT_ACT_ON, as the Lambda's
  });

  it('treats an empty variable as unset, so DRAIN_ENABLED defaults to true and then needs NODE_NAME', () => {
    expect(issuesOf({ TERMINATION_FUNCTION_NAME: 'term', DRAIN_ENABLED: '', KUBERNETES_SERVICE_HOST: '10.0.0.1' })).toEqual([
      expect.stringMatching(/^NODE_NAME: is required when DRAIN_ENABLED=true/),
    ]);
  });

  it('drains by default only where it can: in a pod or with a KUBECONFIG; elsewhere it says why not', () => {
    expect(loadConfig({ TERMINATION_FUNCTION_NAME: 'term', NODE_NAME: 'n1', KUBERNETES_SERVICE_HOST: '10.0.0.1' }).drainEnabled).toBe(true);
    const outside = loadConfig({ TERMINATION_FUNCTION_NAME: 'term' });
    expect(outside.drainEnabled).toBe(false);
    expect(outside.drainDisabledReason).toMatch(/no Kubernetes credentials/);
    const noDrain = loadConfig({ TERMINATION_FUNCTION_NAME: 'term', KUBERNETES_SERVICE_HOST: '10.0.0.1', DRAIN_ENABLED: 'false', LABEL_LIFECYCLE: 'false' });
    expect(noDrain.drainEnabled).toBe(false);
  });

  it('labels the node by default where it can, and then needs NODE_NAME like the drain', () => {
    const inPod = loadConfig({ TERMINATION_FUNCTION_NAME: 'term', NODE_NAME: 'n1', KUBERNETES_SERVICE_HOST: '10.0.0.1', DRAIN_ENABLED: 'false' });
    expect(inPod).toMatchObject({ labelLifecycle: true, drainEnabled: false });
    expect(loadConfig({ TERMINATION_FUNCTION_NAME: 'term' }).labelLifecycle).toBe(false);
    expect(issuesOf({ TERMINATION_FUNCTION_NAME: 'term', KUBERNETES_SERVICE_HOST: '10.0.0.1', DRAIN_ENABLED: 'false' })).toEqual([
      expect.stringMatching(/^NODE_NAME: is required when LABEL_LIFECYCLE=true/),
    ]);
  });

  it('reads the NTH-style knobs with their defaults', () => {
    const base = { TERMINATION_FUNCTION_NAME: 'term', NODE_NAME: 'n1', KUBERNETES_SERVICE_HOST: '10.0.0.1' };
    expect(loadConfig(base)).toMatchObject({ cordonOnly: false, taintEffect: 'NoSchedule', emitEvents: true, podGracePeriodSeconds: undefined, nodeGracePeriodSeconds: undefined, webhook: undefined });
    const tuned = loadConfig({
      ...base,
      CORDON_ONLY: 'true',
      TAINT_EFFECT: 'NoExecute',
      POD_TERMINATION_GRACE_PERIOD_SECONDS: '30',
      NODE_TERMINATION_GRACE_PERIOD_SECONDS: '300',
      EMIT_KUBERNETES_EVENTS: 'false',
      WEBHOOK_URL: 'https://hooks.example.com/services/T000/B000/XXXX',
    });
    expect(tuned).toMatchObject({ cordonOnly: true, taintEffect: 'NoExecute', podGracePeriodSeconds: 30, nodeGracePeriodSeconds: 300, emitEvents: false });
    expect(tuned.webhook?.template).toContain('{{signal}}');
  });

  it('reads the redelivery pauses', () => {
    expect(loadConfig({ ...minimal, REDELIVERY_PAUSE_MS: '250', REDELIVERY_MAX_PAUSE_MS: '250' }).redelivery).toEqual({ pauseMs: 250, maxPauseMs: 250 });
    expect(loadConfig({ ...minimal, REDELIVERY_MAX_PAUSE_MS: '600000' }).redelivery).toEqual({ pauseMs: 1000, maxPauseMs: 600000 });
  });

  it('takes the region from an ARN and strips a trailing slash from the IMDS endpoint', () => {
    const config = loadConfig({
      TERMINATION_FUNCTION_ARN: 'arn:aws:lambda:ap-southeast-2:123456789012:function:term',
      DRAIN_ENABLED: 'false',
      AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1234/',
    });
    expect(config.functionName).toBe('arn:aws:lambda:ap-southeast-2:123456789012:function:term');
    expect(config.region).toBe('ap-southeast-2');
    expect(config.imds.endpoint).toBe('http://127.0.0.1:1234');
  });

  it.each([
    [{ DRAIN_ENABLED: 'false' }, /^TERMINATION_FUNCTION_NAME: is required/],
    [{ ...minimal, POLL_INTERVAL_MS: '2s' }, /^POLL_INTERVAL_MS: must be a whole number of milliseconds/],
    [{ ...minimal, POLL_INTERVAL_MS: '5' }, /^POLL_INTERVAL_MS: .*from 100 to 60000/],
    [{ ...minimal, ACT_ON: 'spot-interruption,reboot' }, /^ACT_ON: each entry must be one of spot-interruption, /],
    [{ ...minimal, DRY_RUN: 'maybe' }, /^DRY_RUN: must be true or false/],
    [{ ...minimal, HTTP_PORT: '70000' }, /^HTTP_PORT: /],
    [{ ...minimal, AWS_EC2_METADATA_SERVICE_ENDPOINT: 'ftp://x' }, /^AWS_EC2_METADATA_SERVICE_ENDPOINT: must be an http\(s\) URL/],
    [{ ...minimal, TERMINATION_FUNCTION_NAME: 'has spaces' }, /^TERMINATION_FUNCTION_NAME: must be a Lambda function name/],
    [{ TERMINATION_FUNCTION_NAME: 'term', NODE_NAME: 'n1', DRAIN_ENABLED: 'true' }, /^KUBECONFIG: DRAIN_ENABLED=true needs Kubernetes credentials/],
    [{ ...minimal, CORDON_ONLY: 'true' }, /^CORDON_ONLY: needs DRAIN_ENABLED=true/],
    [{ ...minimal, TAINT_EFFECT: 'NoWay' }, /^TAINT_EFFECT: must be one of NoSchedule, PreferNoSchedule, NoExecute/],
    [{ ...minimal, POD_TERMINATION_GRACE_PERIOD_SECONDS: '-1' }, /^POD_TERMINATION_GRACE_PERIOD_SECONDS: must be a whole number of seconds from 0 to 3600/],
    [{ ...minimal, NODE_TERMINATION_GRACE_PERIOD_SECONDS: '5' }, /^NODE_TERMINATION_GRACE_PERIOD_SECONDS: .*from 10 to 86400/],
    [{ ...minimal, REDELIVERY_PAUSE_MS: '50' }, /^REDELIVERY_PAUSE_MS: must be a whole number of milliseconds from 100 to 60000$/],
    [{ ...minimal, REDELIVERY_PAUSE_MS: '1s' }, /^REDELIVERY_PAUSE_MS: must be a whole number of milliseconds/],
    [{ ...minimal, REDELIVERY_MAX_PAUSE_MS: '600001' }, /^REDELIVERY_MAX_PAUSE_MS: must be a whole number of milliseconds from 100 to 600000$/],
    [
      { ...minimal, REDELIVERY_PAUSE_MS: '5000', REDELIVERY_MAX_PAUSE_MS: '2000' },
      /^REDELIVERY_MAX_PAUSE_MS: must be at least REDELIVERY_PAUSE_MS \(2000 < 5000\): raise REDELIVERY_MAX_PAUSE_MS or lower REDELIVERY_PAUSE_MS$/,
    ],
    [{ ...minimal, REDELIVERY_PAUSE_MS: '40000' }, /^REDELIVERY_MAX_PAUSE_MS: must be at least REDELIVERY_PAUSE_MS \(30000 < 40000\)/],
    [{ ...minimal, WEBHOOK_URL: 'hooks.example.com' }, /^WEBHOOK_URL: must be an https URL/],
    [{ ...minimal, WEBHOOK_URL: 'http://hooks.example.com/services/x' }, /^WEBHOOK_URL: must be an https URL \(http only to 127\.0\.0\.1/],
    [{ ...minimal, WEBHOOK_URL: 'https://h.example.com/x', WEBHOOK_TEMPLATE: '{"text":"{{host}}"}' }, /^WEBHOOK_TEMPLATE: unknown placeholder \{\{host\}\}/],
    [{ ...minimal, WEBHOOK_URL: 'https://h.example.com/x', WEBHOOK_TEMPLATE: 'text={{signal}}' }, /^WEBHOOK_TEMPLATE: must be a JSON body/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(issuesOf(env as Record<string, string>)).toEqual([expect.stringMatching(message)]);
  });

  it('makes the real process (run from source, as npm run node-manager) exit non-zero before doing anything, naming every bad variable', async () => {
    const daemon = DaemonProcess.spawnFromSource(
      testEnv({ TERMINATION_FUNCTION_NAME: '', POLL_INTERVAL_MS: 'fast', AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' }),
    );
    expect(await daemon.exited).toBe(1);
    expect(daemon.stderr).toMatch(/TERMINATION_FUNCTION_NAME: is required/);
    expect(daemon.stderr).toMatch(/POLL_INTERVAL_MS: must be a whole number/);
    expect(daemon.logs.find((l) => l.msg === 'node-manager started')).toBeUndefined();
  });
});
