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
    });
    expect([...config.actOn]).toEqual(['spot-interruption', 'asg-termination']);
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
    expect(loadConfig({ TERMINATION_FUNCTION_NAME: 'term', KUBERNETES_SERVICE_HOST: '10.0.0.1', DRAIN_ENABLED: 'false' }).drainEnabled).toBe(false);
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
