/**
 * Datadog: mute the host until a little after the instance is gone, so its monitors do not page anyone.
 * POST /api/v1/host/{host}/mute with `override: true` (replace an existing mute's end). The Datadog
 * agent on EC2 reports the instance id as a host alias, and only the id is known on every path
 * (EventBridge events carry no node name), so the instance id is the host name used.
 */
import * as z from '../zod';
import { MAX_NOTICE_LEAD_MS } from '../notice-bounds';
import { requestJson } from './http';
import type { MonitoringProviderFn } from './types';

/** How long after the notice time the mute lasts: past the termination, not forever. */
export const DATADOG_MUTE_GRACE_SECONDS = 600;

const credentials = z.object({ apiKey: z.string().check(z.minLength(1)), appKey: z.string().check(z.minLength(1)) });

export const muteInDatadog: MonitoringProviderFn = async (host, settings, readSecret) => {
  const { apiKey, appKey } = await readSecret(credentials);
  const { instanceId, signal, noticeTime } = host.notice;
  // Never longer than the action horizon: a notice weeks ahead (scheduled maintenance) mutes for hours, not weeks.
  const until = Math.min(Date.parse(noticeTime), Date.now() + MAX_NOTICE_LEAD_MS);
  const end = Math.floor(until / 1000) + DATADOG_MUTE_GRACE_SECONDS;
  await requestJson({
    method: 'POST',
    url: new URL(`/api/v1/host/${encodeURIComponent(instanceId)}/mute`, settings.datadogApiUrl).href,
    headers: { 'DD-API-KEY': apiKey, 'DD-APPLICATION-KEY': appKey },
    body: JSON.stringify({
      end,
      message: `${signal} of ${instanceId} in EKS cluster ${host.clusterName} at ${noticeTime} (spot-ready-eks termination handler)`,
      override: true,
    }),
  });
  return { provider: 'datadog', action: `muted until ${new Date(end * 1000).toISOString()}`, hostId: instanceId };
};

/** Undo for a cancelled notice: POST /api/v1/host/{host}/unmute. */
export const unmuteInDatadog: MonitoringProviderFn = async (host, settings, readSecret) => {
  const { apiKey, appKey } = await readSecret(credentials);
  const { instanceId } = host.notice;
  await requestJson({
    method: 'POST',
    url: new URL(`/api/v1/host/${encodeURIComponent(instanceId)}/unmute`, settings.datadogApiUrl).href,
    headers: { 'DD-API-KEY': apiKey, 'DD-APPLICATION-KEY': appKey },
    body: '{}',
  });
  return { provider: 'datadog', action: 'unmuted', hostId: instanceId };
};
