/**
 * Drains this node once, whatever number of notices asks for it: cordon + taint + label, then
 * evict every evictable pod in parallel before the notice's deadline. DRY_RUN reads the node and
 * its pods and logs what it would change, changing nothing.
 */
import type { InterruptionNotice } from '../../../../contract/interruption-notice';
import type { Logger } from '../logger';
import type { DaemonMetrics } from '../metrics';
import { cordonNode } from './cordon';
import { evictPod, listNodePods, podId, skipReason } from './evict';
import { createCoreApi } from './kube';

export interface DrainReport {
  readonly cordoned: boolean;
  readonly evicted: string[];
  readonly skipped: string[];
  readonly failed: string[];
}

export interface Drainer {
  /** Drains once; later calls return the first drain's report. */
  drain(notice: InterruptionNotice, deadline: number): Promise<DrainReport>;
  close(): void;
}

export function createDrainer(opts: {
  readonly nodeName: string;
  readonly kubeconfigPath?: string;
  readonly dryRun: boolean;
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
}): Drainer {
  const api = createCoreApi(opts.kubeconfigPath);
  const stopping = new AbortController();
  let started: Promise<DrainReport> | undefined;

  async function run(notice: InterruptionNotice, deadline: number): Promise<DrainReport> {
    const logger = opts.logger.child({ node: opts.nodeName, signal: notice.signal, dryRun: opts.dryRun });
    const ctx = { deadline, logger, signal: stopping.signal };
    logger.info('draining node', { deadline: new Date(deadline).toISOString() });
    const cordoned = await cordonNode(api, opts.nodeName, { ...ctx, dryRun: opts.dryRun });
    const pods = await listNodePods(api, opts.nodeName);
    const report: DrainReport = { cordoned, evicted: [], skipped: [], failed: [] };
    await Promise.all(
      pods.map(async (pod) => {
        const reason = skipReason(pod);
        if (reason) {
          report.skipped.push(podId(pod));
          opts.metrics.evictions.inc({ result: 'skipped' });
          logger.debug('pod skipped', { pod: podId(pod), reason });
        } else if (opts.dryRun) {
          opts.metrics.evictions.inc({ result: 'dry-run' });
          logger.info('dry run: would evict pod', { pod: podId(pod) });
        } else {
          const result = await evictPod(api, pod, ctx);
          (result === 'failed' ? report.failed : report.evicted).push(podId(pod));
          opts.metrics.evictions.inc({ result: result === 'failed' ? 'failed' : 'evicted' });
        }
      }),
    );
    const result = opts.dryRun ? 'dry-run' : cordoned && report.failed.length === 0 ? 'complete' : 'incomplete';
    opts.metrics.drains.inc({ result });
    logger.info('drain finished', { result, ...report });
    return report;
  }

  return {
    drain(notice, deadline) {
      started ??= run(notice, deadline).catch((err: unknown) => {
        opts.metrics.drains.inc({ result: 'error' });
        opts.logger.error('drain failed', { err, node: opts.nodeName });
        return { cordoned: false, evicted: [], skipped: [], failed: [] };
      });
      return started;
    },
    close: () => stopping.abort(),
  };
}
