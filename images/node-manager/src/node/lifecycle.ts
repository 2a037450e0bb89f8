/**
 * At start, the node gets the one truthful lifecycle label: `node-lifecycle: spot|on-demand` from
 * IMDS `instance-life-cycle`, whatever the engine's template said. Until the API server answers it
 * is tried again with backoff; the poll loop does not wait for it.
 */
import { LIFECYCLE_LABEL, LIFECYCLE_VALUES, type Lifecycle } from '../../../../contract/node-marks';
import type { ImdsClient } from '../imds';
import type { KubeLite } from '../kube-lite';
import type { Logger } from '../logger';
import { retryUntil } from '../retry';

export interface LifecycleLabelResult {
  readonly lifecycle: Lifecycle;
  /** The label's value before (undefined: there was none); equal to `lifecycle` when nothing changed. */
  readonly previous?: string;
  readonly changed: boolean;
}

export async function labelLifecycle(opts: {
  readonly imds: ImdsClient;
  readonly kube: KubeLite;
  readonly nodeName: string;
  readonly dryRun: boolean;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}): Promise<LifecycleLabelResult | undefined> {
  const { logger, signal } = opts;
  const outcome = await retryUntil(
    async () => {
      const value = await opts.imds.getText('instance-life-cycle', signal);
      if (!(LIFECYCLE_VALUES as readonly string[]).includes(value)) {
        // `scheduled` (Scheduled Reserved Instances) or something new: no truthful value to write.
        throw new UnknownLifecycleError(value);
      }
      const lifecycle = value as Lifecycle;
      const node = await opts.kube.getNode(opts.nodeName, signal);
      const previous = node.metadata?.labels?.[LIFECYCLE_LABEL] as string | undefined;
      if (previous === lifecycle) return { lifecycle, previous, changed: false };
      if (opts.dryRun) {
        logger.info('dry run: would label the node', { label: LIFECYCLE_LABEL, value: lifecycle, previous });
        return { lifecycle, previous, changed: false };
      }
      await opts.kube.patchNode(opts.nodeName, { metadata: { labels: { [LIFECYCLE_LABEL]: lifecycle } } }, signal);
      return { lifecycle, previous, changed: true };
    },
    {
      deadline: Number.POSITIVE_INFINITY,
      baseDelayMs: 1_000,
      maxDelayMs: 60_000,
      signal,
      isRetryable: (err) => !(err instanceof UnknownLifecycleError) && (err as { status?: number }).status !== 403,
      onRetry: (err, attempt, delayMs) => logger.warn('lifecycle label not written yet, retrying', { err, attempt, delayMs }),
    },
  );
  if (outcome.ok) {
    const { lifecycle, previous, changed } = outcome.value;
    logger.info(changed ? 'node labelled with its lifecycle' : 'node lifecycle label already true', { label: LIFECYCLE_LABEL, value: lifecycle, previous });
    return outcome.value;
  }
  if (outcome.reason !== 'stopped') logger.error('could not label the node with its lifecycle', { err: outcome.error, reason: outcome.reason });
  return undefined;
}

class UnknownLifecycleError extends Error {
  constructor(value: string) {
    super(`IMDS instance-life-cycle is '${value.slice(0, 40)}', not one of ${LIFECYCLE_VALUES.join(', ')}`);
    this.name = 'UnknownLifecycleError';
  }
}
