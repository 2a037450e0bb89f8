/**
 * node-manager's operator webhook body: a JSON template with `{{placeholder}}`s, checked at synth
 * by the NodeManager construct and at start by the daemon, rendered per action by the daemon.
 */
export const WEBHOOK_PLACEHOLDERS = ['action', 'signal', 'instanceId', 'nodeName', 'noticeTime', 'detail'] as const;
export type WebhookPlaceholder = (typeof WEBHOOK_PLACEHOLDERS)[number];

/** Slack-style (`text`), also what Mattermost and Teams incoming webhooks accept. */
export const DEFAULT_WEBHOOK_TEMPLATE =
  '{"text":"node-manager {{action}}: {{signal}} on {{nodeName}} ({{instanceId}}) at {{noticeTime}} {{detail}}"}';

/** Fills each placeholder with its value JSON-escaped (a quote or newline cannot break the body). */
export function renderWebhookTemplate(template: string, values: Partial<Record<WebhookPlaceholder, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    if (!(WEBHOOK_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new Error(`unknown placeholder {{${name}}}; use ${WEBHOOK_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`);
    }
    return JSON.stringify(values[name as WebhookPlaceholder] ?? '').slice(1, -1);
  });
}

/** Undefined when `template` is usable, else what is wrong with it. */
export function webhookTemplateProblem(template: string): string | undefined {
  const sample = Object.fromEntries(WEBHOOK_PLACEHOLDERS.map((p) => [p, `"${p}"\n`]));
  let body: string;
  try {
    body = renderWebhookTemplate(template, sample);
  } catch (err) {
    return (err as Error).message;
  }
  try {
    JSON.parse(body);
    return undefined;
  } catch {
    return `must be a JSON body once placeholders are filled in, such as ${DEFAULT_WEBHOOK_TEMPLATE}`;
  }
}
