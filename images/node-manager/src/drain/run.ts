/**
 * One drain of this node: cordon + taint + label, then evict every evictable pod in parallel before
 * the notice's deadline. DRY_RUN reads the node and its pods and logs what it would change, changing
 * nothing. Loaded (as drain.js, with the YAML parser) only when a drain starts.
 */
import { parse } from 'yaml';
import { noticeKey, type InterruptionNotice } from '../../../../contract/interruption-notice';
import { cordonNode } from './cordon';
import { evictPod, listNodePods, podId, skipReason } from './evict';
import type { DrainerOptions, DrainReport } from './types';

/** For KUBECONFIG files in YAML (see `parseYamlOffCluster`). */
export const parseYaml = (text: string): unknown => parse(text);

export async function drainNode(
  opts: DrainerOptions,
  notice: InterruptionNotice,
  deadline: number,
  signal: AbortSignal,
): Promise<DrainReport> {
  const api = opts.kube;
  const logger = opts.logger.child({ node: opts.nodeName, signal: notice.signal, dryRun: opts.dryRun });
  const ctx = { deadline, logger, signal };
  logger.info('draining node', { deadline: new Date(deadline).toISOString() });
  const cordoned = await cordonNode(api, opts.nodeName, {
    ...ctx,
    dryRun: opts.dryRun,
    taintEffect: opts.taintEffect,
    noticeKey: noticeKey(notice),
    signalKind: notice.signal,
  });
  const report: DrainReport = { cordoned, evicted: [], skipped: [], failed: [] };
  if (opts.cordonOnly) {
    const result = opts.dryRun ? 'dry-run' : cordoned ? 'cordoned' : 'incomplete';
    opts.metrics.drains.inc({ result });
    logger.info('drain finished', { result, cordonOnly: true, ...report });
    return report;
  }
  const pods = await listNodePods(api, opts.nodeName, signal);
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
        const result = await evictPod(api, pod, { ...ctx, gracePeriodSeconds: opts.podGracePeriodSeconds });
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
