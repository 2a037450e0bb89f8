/**
 * Step 4: silence the host in the monitoring system, through the provider MONITORING_PROVIDER names.
 * Providers are plain functions keyed by name; adding one is one file and one line here.
 */
import { toFailure } from '../errors';
import type { StepContext, StepOutcome } from '../types';
import { muteInDatadog, unmuteInDatadog } from './datadog';
import { HttpError } from './http';
import { restoreInMackerel, silenceInMackerel } from './mackerel';
import { readJsonSecret, type SecretCache } from './secret';
import type { MonitoringDetail, MonitoringProviderFn, ReadSecret } from './types';
import { notifyWebhook } from './webhook';

const PROVIDERS: Record<Exclude<StepContext['config']['monitoring']['provider'], 'none'>, MonitoringProviderFn> = {
  datadog: muteInDatadog,
  mackerel: silenceInMackerel,
  webhook: notifyWebhook,
};

/** Undo, for a cancelled notice. The webhook is told again: the notice it receives says `cancel`. */
const RESTORERS: typeof PROVIDERS = {
  datadog: unmuteInDatadog,
  mackerel: restoreInMackerel,
  webhook: notifyWebhook,
};

export function silenceMonitoring(ctx: StepContext, secretCache: SecretCache): Promise<StepOutcome<MonitoringDetail>> {
  return callProvider(PROVIDERS, ctx, secretCache);
}

/** Undoes {@link silenceMonitoring} where the provider can (unmute, back to working, tell the webhook). */
export function restoreMonitoring(ctx: StepContext, secretCache: SecretCache): Promise<StepOutcome<MonitoringDetail>> {
  return callProvider(RESTORERS, ctx, secretCache);
}

async function callProvider(table: typeof PROVIDERS, ctx: StepContext, secretCache: SecretCache): Promise<StepOutcome<MonitoringDetail>> {
  const settings = ctx.config.monitoring;
  if (settings.provider === 'none') return { failures: [], skipped: 'MONITORING_PROVIDER is none' };
  const readSecret: ReadSecret = (schema) => readJsonSecret(schema, settings.secretArn!, ctx.clients, secretCache);
  try {
    const detail = await table[settings.provider](
      { clusterName: ctx.config.clusterName, notice: ctx.notice, privateDnsName: ctx.instance.privateDnsName },
      settings,
      readSecret,
    );
    return { failures: [], detail };
  } catch (err) {
    const operation =
      err instanceof HttpError ? `${settings.provider} ${err.operation}` : isAwsError(err) ? 'GetSecretValue' : settings.provider;
    return { failures: [toFailure(operation, err)] };
  }
}

function isAwsError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && '$metadata' in err;
}
