/**
 * Evicts the node's pods through the Eviction API, so PodDisruptionBudgets are honoured: a 429
 * means "not now, a budget forbids it" and is retried with backoff until the deadline.
 * DaemonSet pods are skipped (the controller would recreate them on the same node, and they
 * tolerate the taint), as are mirror pods (the kubelet owns them) and pods that already finished.
 */
import type { CoreV1Api, V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../logger';
import { retryUntil } from '../retry';
import { apiStatus } from './kube';

export type SkipReason = 'daemonset' | 'mirror' | 'finished';

export function skipReason(pod: V1Pod): SkipReason | undefined {
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return 'mirror';
  if (pod.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller)) return 'daemonset';
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 'finished';
  return undefined;
}

export function podId(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? '?'}`;
}

export async function listNodePods(api: CoreV1Api, nodeName: string): Promise<V1Pod[]> {
  const list = await api.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` });
  return list.items;
}

export type EvictionResult = 'evicted' | 'gone' | 'failed';

export async function evictPod(
  api: CoreV1Api,
  pod: V1Pod,
  opts: { readonly deadline: number; readonly logger: Logger; readonly signal?: AbortSignal; readonly gracePeriodSeconds?: number },
): Promise<EvictionResult> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? 'default';
  const outcome = await retryUntil(
    () =>
      api.createNamespacedPodEviction({
        name,
        namespace,
        body: {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace },
          ...(opts.gracePeriodSeconds === undefined ? {} : { deleteOptions: { gracePeriodSeconds: opts.gracePeriodSeconds } }),
        },
      }),
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
