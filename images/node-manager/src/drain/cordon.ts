/**
 * Takes the node out of scheduling and out of external load balancers in one patch: cordon
 * (`spec.unschedulable`), a taint naming the reason (effect configurable), and the well-known label
 * that makes the service controller and the AWS Load Balancer Controller drop the node from load
 * balancers — and records in an annotation which of these node-manager added, so a cancelled
 * notice removes only those.
 */
import type { SignalKind } from '../../../../contract/interruption-notice';
import { APPLIED_ANNOTATION, EXCLUDE_FROM_LB_LABEL, INTERRUPTION_TAINT_KEY } from '../../../../contract/node-marks';
import type { TaintEffect } from '../config';
import type { Json, KubeLite } from '../kube-api';
import type { Logger } from '../logger';
import { marksFor } from '../node/applied';
import { retryUntil } from '../retry';
import { apiStatus } from './kube';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export const interruptionTaint = (effect: TaintEffect): Taint => ({ key: INTERRUPTION_TAINT_KEY, value: 'true', effect });

export async function cordonNode(
  api: KubeLite,
  nodeName: string,
  opts: {
    readonly dryRun: boolean;
    readonly deadline: number;
    readonly logger: Logger;
    readonly signal?: AbortSignal;
    readonly taintEffect: TaintEffect;
    readonly noticeKey: string;
    readonly signalKind: SignalKind;
  },
): Promise<boolean> {
  const taint = interruptionTaint(opts.taintEffect);
  const outcome = await retryUntil(
    async () => {
      const node = await api.getNode(nodeName, opts.signal);
      const taints: Taint[] = Array.isArray(node.spec?.taints) ? node.spec.taints : [];
      const hasTaint = taints.some((t) => t.key === INTERRUPTION_TAINT_KEY);
      const marks = marksFor(node, opts.noticeKey, opts.signalKind);
      // Taints are a list without a merge key: send the whole list, guarded by resourceVersion so a
      // concurrent change (409) makes us read again rather than drop someone else's taint.
      const patch: Json = {
        metadata: {
          resourceVersion: node.metadata?.resourceVersion as string | undefined,
          labels: { [EXCLUDE_FROM_LB_LABEL]: 'true' },
          annotations: { [APPLIED_ANNOTATION]: JSON.stringify(marks) },
        },
        spec: { unschedulable: true, taints: hasTaint ? taints : [...taints, taint] },
      };
      if (opts.dryRun) {
        opts.logger.info('dry run: would cordon, taint and label the node', { patch: { ...patch.spec, labels: patch.metadata.labels } });
        return;
      }
      await api.patchNode(nodeName, patch, opts.signal);
    },
    {
      deadline: opts.deadline,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      signal: opts.signal,
      isRetryable: (err) => apiStatus(err) !== 404 && apiStatus(err) !== 403,
      onRetry: (err, attempt) => opts.logger.warn('cordon failed, retrying', { err, attempt, status: apiStatus(err) }),
    },
  );
  if (!outcome.ok) {
    opts.logger.error('could not cordon the node', { err: outcome.error, reason: outcome.reason });
    return false;
  }
  if (!opts.dryRun) opts.logger.info('node cordoned, tainted and excluded from load balancers', { taint });
  return true;
}
