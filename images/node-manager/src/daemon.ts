/** Wires the parts: IMDS → signal monitors → policy → Lambda invoke (+ drain), with /healthz and /metrics. */
import { noticeKey, type InterruptionNotice } from '../../../contract/interruption-notice';
import type { NodeManagerConfig } from './config';
import { createDrainer } from './drain';
import { ImdsClient } from './imds';
import type { Logger } from './logger';
import { DaemonMetrics } from './metrics';
import { Notifier } from './notify';
import { decide } from './policy';
import { Poller } from './poller';
import { sleep } from './retry';
import { startServer } from './server';
import { createSignalMonitors } from './signals';

/**
 * The first drain loads the Kubernetes client: 150–350 ms with the event loop blocked. The first
 * invoke may still be fetching credentials (an STS round trip with IRSA), so the drain starts once
 * the invoke is answered and the Lambda has the notice — or after this long if Lambda is slow.
 */
const INVOKE_HEAD_START_MS = 1_000;

export interface RunningDaemon {
  readonly httpPort: number;
  stop(): Promise<void>;
}

export async function startDaemon(config: NodeManagerConfig, logger: Logger): Promise<RunningDaemon> {
  const metrics = new DaemonMetrics();
  // Checks the kubeconfig now (an unreadable one stops the start); the Kubernetes client itself
  // is loaded by the first drain.
  const drainer =
    config.drainEnabled && config.nodeName
      ? createDrainer({ ...config, nodeName: config.nodeName, logger, metrics })
      : undefined;
  const imds = new ImdsClient(config.imds);
  const notifier = new Notifier({
    functionName: config.functionName,
    region: config.region ?? (() => imds.getText('placement/region')),
    logger,
    metrics,
  });
  const seen = new Set<string>();

  const onNotice = (notice: InterruptionNotice, detectedAt: number): void => {
    const key = noticeKey(notice);
    if (seen.has(key)) return; // IMDS repeats a notice on every poll until the instance is gone
    seen.add(key);
    const decision = decide(notice, config, detectedAt);
    metrics.signalsSeen.inc({ signal: notice.signal, action: decision.notice.action });
    logger.info('interruption notice', { noticeKey: key, notice: decision.notice, act: decision.act, dryRun: config.dryRun });
    const delivery = notifier.deliver(decision.notice, decision.deadline);
    if (decision.act && drainer) {
      void Promise.race([delivery, sleep(INVOKE_HEAD_START_MS)]).then(() => drainer.drain(decision.notice, decision.deadline));
    }
  };

  const poller = new Poller({
    imds,
    monitors: createSignalMonitors(),
    intervalMs: config.pollIntervalMs,
    nodeName: config.nodeName,
    logger,
    metrics,
    onNotice,
  });
  // A loop that has not finished a tick in five intervals (or 30 s) is stuck; restarting helps then.
  const stallMs = Math.max(5 * config.pollIntervalMs, 30_000);
  const server = await startServer(config.httpHost, config.httpPort, metrics, {
    healthy: () => Date.now() - poller.lastTickAt < stallMs,
    details: () => ({ instanceId: poller.identity, lastPollAt: new Date(poller.lastTickAt).toISOString() }),
  });
  poller.start();
  logger.info('node-manager started', {
    httpPort: server.port,
    pollIntervalMs: config.pollIntervalMs,
    actOn: [...config.actOn],
    drainEnabled: config.drainEnabled,
    ...(config.drainDisabledReason ? { drainDisabledReason: config.drainDisabledReason } : {}),
    dryRun: config.dryRun,
    imdsEndpoint: config.imds.endpoint,
  });

  return {
    httpPort: server.port,
    async stop() {
      notifier.close();
      drainer?.close();
      await Promise.all([poller.stop(), server.close()]);
    },
  };
}
