/**
 * Evicts the node's pods through the Eviction API, so PodDisruptionBudgets are honoured: a 429
 * means "not now, a budget forbids it" and is retried with backoff until the deadline.
 * DaemonSet pods are skipped (the controller would recreate them on the same node, and they
 * tolerate the taint), as are mirror pods (the kubelet owns them) and pods that already finished.
 */
import type { KubeLite } from '../kube-api';
import type { Logger } from '../logger';
import { retryUntil } from '../retry';
import { apiStatus } from './kube';

export type SkipReason = 'daemonset' | 'mirror' | 'finished';

/** What the drain reads of a Pod. */
export interface Pod {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
    readonly ownerReferences?: readonly { readonly kind: string; readonly controller?: boolean }[];
  };
  readonly status?: { readonly phase?: string };
}

export function skipReason(pod: Pod): SkipReason | undefined {
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return 'mirror';
  if (pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller)) return 'daemonset';
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 'finished';
  return undefined;
}

export function podId(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? '?'}`;
}

export async function listNodePods(api: KubeLite, nodeName: string, signal?: AbortSignal): Promise<Pod[]> {
  return (await api.listPods(`spec.nodeName=${nodeName}`, signal)) as Pod[];
}

export type EvictionResult = 'evicted' | 'gone' | 'failed';

export async function evictPod(
  api: KubeLite,
  pod: Pod,
  opts: { readonly deadline: number; readonly logger: Logger; readonly signal?: AbortSignal; readonly gracePeriodSeconds?: number },
): Promise<EvictionResult> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? 'default';
  const outcome = await retryUntil(
    () =>
      api.evictPod(
        namespace,
        name,
        {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace },
          ...(opts.gracePeriodSeconds === undefined ? {} : { deleteOptions: { gracePeriodSeconds: opts.gracePeriodSeconds } }),
        },
        opts.signal,
      ),
    {
      deadline: opts.deadline,
      baseDelayMs: 500,
      maxDelayMs: 5_000,
      signal: opts.signal,
      // 404: already gone. 403: no permission, retrying will not grant it.
      isRetryable: (err) => apiStatus(err) !== 404 && apiStatus(err) !== 403,
      onRetry: (err, attempt, delayMs) =>
        opts.logger.warn(apiStatus(err) === 429 ? 'eviction blocked by a disruption budget, retrying' : 'eviction failed, retrying', {
          pod: `${namespace}/${name}`,
          status: apiStatus(err),
          attempt,
          delayMs,
        }),
    },
  );
  if (outcome.ok) return 'evicted';
  if (apiStatus(outcome.error) === 404) return 'gone';
  opts.logger.error('pod not evicted', { pod: `${namespace}/${name}`, err: outcome.error, reason: outcome.reason });
  return 'failed';
}
