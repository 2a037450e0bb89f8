/**
 * Mackerel: find the host by its custom identifier, then set it to `maintenance` (alerts suppressed) or
 * retire it. mackerel-agent registers EC2 hosts with the custom identifier `<instance-id>.ec2.amazonaws.com`
 * (its EC2 cloud generator); hosts registered with the bare instance id are looked up as a fallback.
 * A host that Mackerel does not know is not work left undone: nothing to silence.
 */
import * as z from '../zod';
import { HttpError, requestJson } from './http';
import type { MonitoringProviderFn } from './types';

const credentials = z.object({ apiKey: z.string().check(z.minLength(1)) });
const hostsResponse = z.object({ hosts: z.array(z.object({ id: z.string().check(z.minLength(1)) })) });
const HOSTS_OPERATION = 'GET /api/v0/hosts';

export function mackerelCustomIdentifiers(instanceId: string): string[] {
  return [`${instanceId}.ec2.amazonaws.com`, instanceId];
}

/** The Mackerel host id of the instance, or undefined when Mackerel does not know it. */
async function findHost(instanceId: string, apiUrl: string, headers: Record<string, string>): Promise<string | undefined> {
  let hostId: string | undefined;
  for (const identifier of mackerelCustomIdentifiers(instanceId)) {
    const url = new URL('/api/v0/hosts', apiUrl);
    url.searchParams.set('customIdentifier', identifier);
    const found = hostsResponse.safeParse(await requestJson({ method: 'GET', url: url.href, headers }));
    if (!found.success) {
      // One line naming the request and the fields, not zod's multi-line issue dump.
      const fields = found.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new HttpError(HOSTS_OPERATION, `${HOSTS_OPERATION} returned an unexpected body (${fields})`, undefined, 'UnexpectedResponseError');
    }
    hostId = found.data.hosts[0]?.id;
    if (hostId) break;
  }
  return hostId;
}

export const silenceInMackerel: MonitoringProviderFn = async (host, settings, readSecret) => {
  const { apiKey } = await readSecret(credentials);
  const headers = { 'X-Api-Key': apiKey };
  const hostId = await findHost(host.notice.instanceId, settings.mackerelApiUrl, headers);
  if (!hostId) return { provider: 'mackerel', action: 'host not registered in Mackerel; nothing to silence' };

  const retire = settings.mackerelAction === 'retire';
  await requestJson({
    method: 'POST',
    url: new URL(`/api/v0/hosts/${encodeURIComponent(hostId)}/${retire ? 'retire' : 'status'}`, settings.mackerelApiUrl).href,
    headers,
    body: JSON.stringify(retire ? {} : { status: 'maintenance' }),
  });
  return { provider: 'mackerel', action: retire ? 'retired' : 'status set to maintenance', hostId };
};

/** Undo for a cancelled notice: back to `working` (a retired host cannot come back). */
export const restoreInMackerel: MonitoringProviderFn = async (host, settings, readSecret) => {
  if (settings.mackerelAction === 'retire') return { provider: 'mackerel', action: 'retired hosts cannot be restored; nothing done' };
  const { apiKey } = await readSecret(credentials);
  const headers = { 'X-Api-Key': apiKey };
  const hostId = await findHost(host.notice.instanceId, settings.mackerelApiUrl, headers);
  if (!hostId) return { provider: 'mackerel', action: 'host not registered in Mackerel; nothing to restore' };
  await requestJson({
    method: 'POST',
    url: new URL(`/api/v0/hosts/${encodeURIComponent(hostId)}/status`, settings.mackerelApiUrl).href,
    headers,
    body: JSON.stringify({ status: 'working' }),
  });
  return { provider: 'mackerel', action: 'status set to working', hostId };
};
