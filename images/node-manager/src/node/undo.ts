/**
 * A cancelled notice (a scheduled-maintenance event gone from IMDS or shown `canceled`) puts the
 * node back: uncordon, untaint, unlabel — only what node-manager recorded as its own doing for
 * that notice (see ./applied). Evicted pods are not brought back; the scheduler places new ones.
 */
import type { SignalKind } from '../../../../contract/interruption-notice';
import type { KubeLite } from '../kube-lite';
import type { Logger } from '../logger';
import { retryUntil } from '../retry';
import { readApplied, undoPatch, type AppliedMarks } from './applied';

export async function readOwnMarks(kube: KubeLite, nodeName: string, signal?: AbortSignal): Promise<AppliedMarks | undefined> {
  return readApplied(await kube.getNode(nodeName, signal));
}

/** Removes node-manager's marks of a notice of signal `kind`; `undone` false when there were none. */
export async function undoNotice(opts: {
  readonly kube: KubeLite;
  readonly nodeName: string;
  readonly kind: SignalKind;
  readonly dryRun: boolean;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}): Promise<{ readonly undone: boolean; readonly marks?: AppliedMarks }> {
  const { kube, nodeName, logger } = opts;
  const outcome = await retryUntil(
    async () => {
      const node = await kube.getNode(nodeName, opts.signal);
      const marks = readApplied(node);
      const patch = undoPatch(node, opts.kind);
      if (!patch) return { undone: false, marks };
      if (opts.dryRun) {
        logger.info('dry run: would put the node back in service', { marks });
        return { undone: false, marks };
      }
      await kube.patchNode(nodeName, patch, opts.signal); // 409: someone changed the node; read again
      return { undone: true, marks };
    },
    {
      deadline: Date.now() + 120_000,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      signal: opts.signal,
      isRetryable: (err) => (err as { status?: number }).status !== 403 && (err as { status?: number }).status !== 404,
      onRetry: (err, attempt) => logger.warn('undo failed, retrying', { err, attempt }),
    },
  );
  if (!outcome.ok) {
    logger.error('could not put the node back in service', { err: outcome.error, reason: outcome.reason, signal: opts.kind });
    return { undone: false };
  }
  if (outcome.value.undone) logger.info('notice cancelled: node back in service', { signal: opts.kind, marks: outcome.value.marks });
  return outcome.value;
}
