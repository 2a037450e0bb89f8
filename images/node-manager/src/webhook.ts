/**
 * The operator webhook (Slack-style): one POST per action, rendered from the template, best effort
 * with a short timeout. The URL's path is usually the credential, so only its host is ever logged.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { renderWebhookTemplate, type WebhookPlaceholder } from '../../../contract/webhook-template';
import type { Logger } from './logger';

export type WebhookValues = Partial<Record<WebhookPlaceholder, string>>;

export function webhookPoster(webhook: { readonly url: string; readonly template: string } | undefined, logger: Logger) {
  if (!webhook) return async (): Promise<void> => {};
  const url = new URL(webhook.url);
  const log = logger.child({ webhookHost: url.host });
  return (values: WebhookValues): Promise<void> => {
    const body = Buffer.from(renderWebhookTemplate(webhook.template, values));
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, signal: AbortSignal.timeout(5_000) },
        (res) => {
          res.resume(); // the answer is not read, only its status
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) log.debug('webhook posted', { status, action: values.action });
            else log.warn('webhook answered an error', { status, action: values.action });
            resolve();
          });
        },
      );
      req.on('error', (err: Error & { code?: string }) => {
        log.warn('webhook not posted', { code: err.code ?? err.name, action: values.action });
        resolve();
      });
      req.end(body);
    });
  };
}
