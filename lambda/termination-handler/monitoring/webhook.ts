/**
 * Webhook: POST the notice as JSON to WEBHOOK_URL, signed like GitHub webhooks —
 * `X-Signature-256: sha256=<hex HMAC-SHA256 of the exact body bytes>` with the secret's `hmacSecret`,
 * so the receiver can reject forged calls. The secret is required (secure default). Errors name the
 * URL's host only: its path is often a secret of its own.
 */
import { createHmac } from 'node:crypto';
import * as z from '../zod';
import { requestJson } from './http';
import type { MonitoringProviderFn } from './types';

export const SIGNATURE_HEADER = 'X-Signature-256';
export const WEBHOOK_EVENT_TYPE = 'spot-ready-eks.interruption';

const credentials = z.object({ hmacSecret: z.string().check(z.minLength(16, 'must be at least 16 characters')) });

export function signBody(body: string, hmacSecret: string): string {
  return `sha256=${createHmac('sha256', hmacSecret).update(body, 'utf8').digest('hex')}`;
}

export const notifyWebhook: MonitoringProviderFn = async (host, settings, readSecret) => {
  const { hmacSecret } = await readSecret(credentials);
  const body = JSON.stringify({
    type: WEBHOOK_EVENT_TYPE,
    cluster: host.clusterName,
    notice: host.notice,
    privateDnsName: host.privateDnsName,
  });
  await requestJson({
    method: 'POST',
    url: settings.webhookUrl!, // config guarantees it when the provider is webhook
    headers: { [SIGNATURE_HEADER]: signBody(body, hmacSecret) },
    body,
    secretPath: true, // the URL's path is often the receiver's secret: never in logs, SNS or failure records
  });
  return { provider: 'webhook', action: 'notified' };
};
