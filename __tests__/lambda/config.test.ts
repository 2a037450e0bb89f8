import { ConfigError, loadConfig } from '../../lambda/termination-handler/config';
import { BASE_ENV, SECRET_ARN } from './support/fixtures';

const messageOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected loadConfig to throw');
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(BASE_ENV);
    expect(config).toMatchObject({
      clusterTagKey: 'kubernetes.io/cluster/demo',
      noticeWindowSeconds: 120,
      deregisterConcurrency: 16,
      monitoring: { provider: 'none', datadogApiUrl: 'https://api.datadoghq.com', mackerelApiUrl: 'https://api.mackerelio.com', mackerelAction: 'maintenance' },
    });
  });

  it('reads overrides and treats blank variables as unset', () => {
    const config = loadConfig({ ...BASE_ENV, CLUSTER_TAG_KEY: 'eks:cluster-name', NOTICE_WINDOW_SECONDS: '90', DEREGISTER_CONCURRENCY: '4', WEBHOOK_URL: ' ' });
    expect(config).toMatchObject({ clusterTagKey: 'eks:cluster-name', noticeWindowSeconds: 90, deregisterConcurrency: 4 });
    expect(config.monitoring.webhookUrl).toBeUndefined();
  });

  it('acts on spot, ASG and state-change EventBridge notices unless ACT_ON says otherwise', () => {
    expect([...loadConfig(BASE_ENV).actOn].sort()).toEqual(['asg-termination', 'instance-state-change', 'spot-interruption']);
    expect([...loadConfig({ ...BASE_ENV, ACT_ON: ' scheduled-maintenance , spot-interruption' }).actOn].sort()).toEqual(['scheduled-maintenance', 'spot-interruption']);
  });

  it.each([
    ['CLUSTER_NAME', { CLUSTER_NAME: '' }, /CLUSTER_NAME is required/],
    ['QUARANTINE_SECURITY_GROUP_ID', { QUARANTINE_SECURITY_GROUP_ID: 'default' }, /QUARANTINE_SECURITY_GROUP_ID must be a security group id/],
    ['SUMMARY_TOPIC_ARN', { SUMMARY_TOPIC_ARN: 'my-topic' }, /SUMMARY_TOPIC_ARN must be an SNS topic ARN/],
    ['DEREGISTER_CONCURRENCY', { DEREGISTER_CONCURRENCY: '0' }, /DEREGISTER_CONCURRENCY/],
    ['MONITORING_PROVIDER', { MONITORING_PROVIDER: 'newrelic' }, /MONITORING_PROVIDER/],
    ['MONITORING_SECRET_ARN', { MONITORING_PROVIDER: 'datadog' }, /MONITORING_SECRET_ARN is required when MONITORING_PROVIDER is datadog/],
    ['WEBHOOK_URL', { MONITORING_PROVIDER: 'webhook', MONITORING_SECRET_ARN: SECRET_ARN }, /WEBHOOK_URL is required/],
    ['WEBHOOK_URL (plain http)', { MONITORING_PROVIDER: 'webhook', MONITORING_SECRET_ARN: SECRET_ARN, WEBHOOK_URL: 'http://hooks.example.com/x' }, /WEBHOOK_URL must be an https:\/\/ URL/],
    ['MACKEREL_ACTION', { MACKEREL_ACTION: 'delete' }, /MACKEREL_ACTION/],
    ['ACT_ON', { ACT_ON: 'spot-interruption,solar-flare' }, /ACT_ON must be a comma-separated list of spot-interruption, /],
    ['CONFIRM_ATTEMPTS', { CONFIRM_ATTEMPTS: '0' }, /CONFIRM_ATTEMPTS/],
    // Not a URL at all: a ConfigError naming the variable, not the URL parser's bare TypeError.
    ['DATADOG_API_URL (not a URL)', { DATADOG_API_URL: 'https://' }, /DATADOG_API_URL must be an https:\/\/ URL/],
  ])('names %s when it is wrong', (_name, override, message) => {
    expect(messageOf({ ...BASE_ENV, ...override })).toMatch(message);
  });

  it('lists every missing variable at once', () => {
    const message = messageOf({});
    for (const name of ['CLUSTER_NAME', 'QUARANTINE_SECURITY_GROUP_ID', 'SUMMARY_TOPIC_ARN', 'STATE_TABLE_NAME']) expect(message).toContain(name);
  });
});
