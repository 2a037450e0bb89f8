/** Wires the parts: IMDS → signal monitors → policy → Lambda invoke (+ drain), with /healthz and /metrics. */
import { noticeKey, parseInterruptionNotice, type InterruptionNotice } from '../../../contract/interruption-notice';
import { MAX_SCHEDULED_MAINTENANCE_LEAD_MS } from '../../../contract/notice-bounds';
import { CANCELLABLE, Cancellations } from './cancellations';
import type { NodeManagerConfig } from './config';
import { checkKubeconfig, createDrainer, type DrainReport } from './drain';
import { ImdsClient } from './imds';
import { kubeLite, type KubeLite } from './kube-lite';
import type { Logger } from './logger';
import { DaemonMetrics } from './metrics';
import { eventRecorder } from './node/events';
import { labelLifecycle } from './node/lifecycle';
import { readOwnMarks, undoNotice } from './node/undo';
import { Notifier } from './notify';
import { decide, MIN_ACTION_WINDOW_MS, type NoticeDecision } from './policy';
import { Poller } from './poller';
import { sleep } from './retry';
import { startServer } from './server';
import { createSignalMonitors } from './signals';
import { webhookPoster } from './webhook';

/**
 * The first invoke may still be fetching credentials (an STS round trip with IRSA); the drain's
 * cordon and evictions would compete with it for the event loop and the node's connections, so the
 * drain starts once the invoke is answered and the Lambda has the notice — or after this long if
 * Lambda is slow.
 */
const INVOKE_HEAD_START_MS = 1_000;

export interface RunningDaemon {
  readonly httpPort: number;
  stop(): Promise<void>;
}

export async function startDaemon(config: NodeManagerConfig, logger: Logger): Promise<RunningDaemon> {
  const metrics = new DaemonMetrics();
  const stopping = new AbortController();
  const nodeName = config.nodeName;
  const needsKube = (config.drainEnabled || config.labelLifecycle) && nodeName !== undefined;
  if (needsKube) checkKubeconfig(config.kubeconfigPath); // an unreadable file stops the start, naming KUBECONFIG
  const kube: KubeLite | undefined = needsKube ? await kubeLite(config.kubeconfigPath) : undefined;
  const drainer = config.drainEnabled && nodeName && kube ? createDrainer({ ...config, nodeName, kube, logger, metrics }) : undefined;
  const imds = new ImdsClient(config.imds);
  const notifier = new Notifier({
    functionName: config.functionName,
    region: config.region ?? (() => imds.getText('placement/region')),
    logger,
    metrics,
    redeliverBaseMs: config.redelivery.pauseMs,
    redeliverMaxMs: config.redelivery.maxPauseMs,
  });
  const recordEvent = eventRecorder(config.emitEvents ? kube : undefined, nodeName, logger);
  const postWebhook = webhookPoster(config.webhook, logger);
  /** Every notice seen, with the decision made when it was first seen. */
  const decisions = new Map<string, NoticeDecision>();
  /** Notices this node was taken out of service for, until they are cancelled: key → that drain. */
  const acted = new Map<string, Promise<unknown>>();
  /** Scheduled events the Lambda was asked to act on, and the cancels it is owed once they vanish. */
  const cancellations = new Cancellations();
  /** Notices held back because the Lambda would refuse their notice time (logged once each). */
  const heldBack = new Set<string>();

  const announce = (action: string, notice: Pick<InterruptionNotice, 'signal' | 'instanceId' | 'noticeTime'>, detail: string): void => {
    void postWebhook({ action, signal: notice.signal, instanceId: notice.instanceId, nodeName: nodeName ?? '', noticeTime: notice.noticeTime, detail });
  };

  const drained = (notice: InterruptionNotice, report: DrainReport): void => {
    const complete = report.cordoned && report.failed.length === 0;
    const detail = config.cordonOnly
      ? `cordoned and tainted (cordon-only)`
      : `cordoned; ${report.evicted.length} pods evicted, ${report.failed.length} not, ${report.skipped.length} skipped`;
    if (config.dryRun) return;
    void recordEvent(config.cordonOnly ? 'NodeManagerCordon' : 'NodeManagerDrain', `${notice.signal} at ${notice.noticeTime}: ${detail}`, complete ? 'Normal' : 'Warning');
    announce(config.cordonOnly ? 'cordon' : 'drain', notice, detail);
  };

  const onNotice = (notice: InterruptionNotice, detectedAt: number): void => {
    const key = noticeKey(notice);
    // The Lambda refuses a maintenance notice more than 35 days ahead: wait until the event is closer.
    if (notice.signal === 'scheduled-maintenance' && Date.parse(notice.noticeTime) - detectedAt > MAX_SCHEDULED_MAINTENANCE_LEAD_MS) {
      if (!heldBack.has(key)) {
        heldBack.add(key);
        logger.info('scheduled event held back until it is at most 35 days ahead (the termination Lambda refuses it before)', { noticeKey: key });
      }
      return;
    }
    let decision = decisions.get(key);
    if (!decision) {
      // IMDS repeats a notice on every poll until the instance is gone: decide, count and drain once.
      decision = decide(notice, config, detectedAt);
      decisions.set(key, decision);
      metrics.signalsSeen.inc({ signal: notice.signal, action: decision.notice.action });
      logger.info('interruption notice', { noticeKey: key, notice: decision.notice, act: decision.act, dryRun: config.dryRun });
      cancellations.sent(decision.notice);
      if (decision.act && drainer) {
        const drainDeadline = config.nodeGracePeriodSeconds ? detectedAt + config.nodeGracePeriodSeconds * 1000 : decision.deadline;
        const d = decision;
        const drain = Promise.race([notifier.deliver(d.notice, d.deadline), sleep(INVOKE_HEAD_START_MS)])
          .then(() => drainer.drain(d.notice, drainDeadline))
          .then((report) => drained(d.notice, report));
        acted.set(key, drain);
      }
    }
    // Every poll that still sees the notice: delivers again if no earlier round got a 202.
    void notifier.deliver(decision.notice, decision.deadline);
  };

  const undo = (signal: InterruptionNotice['signal'], after: Promise<unknown>): void => {
    if (!kube || !nodeName) return;
    void after
      .then(() => undoNotice({ kube, nodeName, kind: signal, dryRun: config.dryRun, logger, signal: stopping.signal }))
      .then(({ undone, marks }) => {
        metrics.cancellations.inc({ result: undone ? 'undone' : 'nothing-to-undo' });
        if (!undone || !marks) return;
        drainer?.reset();
        const [instanceId, , ...time] = marks.noticeKey.split('/');
        const noticeTime = time.join('/');
        void recordEvent('NodeManagerUncordon', `${signal} ${noticeTime} cancelled: node back in service`);
        announce('uncordon', { signal, instanceId, noticeTime }, 'notice cancelled, node back in service');
      });
  };

  /**
   * The Lambda undoes its quarantine of a cancelled event only when told: every poll delivers the
   * cancels it is owed until each is accepted (the same re-delivery as any notice), then never again.
   */
  const tellLambda = (kind: InterruptionNotice['signal'], present: ReadonlySet<string>): void => {
    for (const cancel of cancellations.checked(kind, present)) {
      logger.info('scheduled event cancelled: telling the termination Lambda', { noticeKey: noticeKey(cancel), notice: cancel });
    }
    for (const cancel of cancellations.pending()) {
      void notifier.deliver(cancel, Date.now() + MIN_ACTION_WINDOW_MS).then((accepted) => accepted && cancellations.accepted(cancel));
    }
  };

  /**
   * A cancellable signal whose acted-on notices have all left IMDS: undo. While another acted-on
   * notice of the same signal is still listed (AWS rescheduled the event: a new NotBefore is a new
   * key), the node stays out of service.
   */
  const onChecked = (kind: InterruptionNotice['signal'], notices: readonly InterruptionNotice[]): void => {
    if (!CANCELLABLE.has(kind)) return;
    const present = new Set(notices.map(noticeKey));
    tellLambda(kind, present);
    const gone = [...acted.keys()].filter((key) => key.split('/')[1] === kind && !present.has(key));
    if (gone.length === 0) return;
    const drains = gone.map((key) => acted.get(key));
    for (const key of gone) {
      acted.delete(key);
      decisions.delete(key); // should the event come back, it is a new notice
    }
    const stillActed = [...acted.keys()].some((key) => key.split('/')[1] === kind);
    logger.info('notice no longer in IMDS (cancelled, completed or rescheduled)', { noticeKeys: gone, stillOutOfService: stillActed });
    if (!stillActed) undo(kind, Promise.all(drains));
  };

  const poller = new Poller({
    imds,
    monitors: createSignalMonitors(),
    intervalMs: config.pollIntervalMs,
    nodeName,
    logger,
    metrics,
    onNotice,
    onChecked,
  });
  // A loop that has not finished a tick in five intervals (or 30 s) is stuck; restarting helps then.
  const stallMs = Math.max(5 * config.pollIntervalMs, 30_000);
  const server = await startServer(config.httpHost, config.httpPort, metrics, {
    healthy: () => Date.now() - poller.lastTickAt < stallMs,
    details: () => ({ instanceId: poller.identity, lastPollAt: new Date(poller.lastTickAt).toISOString() }),
  });
  poller.start();
  if (kube && nodeName && drainer) {
    // After a restart (a maintenance reboot), marks of a cancellable notice are ours to undo once IMDS no longer shows it.
    void readOwnMarks(kube, nodeName, stopping.signal).then(
      (marks) => {
        if (marks && CANCELLABLE.has(marks.signal) && !acted.has(marks.noticeKey)) {
          acted.set(marks.noticeKey, Promise.resolve());
          // The marks say the notice was acted on: the Lambda was asked too, and is owed the cancel.
          if (!config.dryRun) cancellations.sent(earlierNotice(marks.noticeKey, nodeName));
        }
      },
      (err: unknown) => logger.warn('could not read earlier node-manager marks on the node', { err }),
    );
  }
  if (kube && nodeName && config.labelLifecycle) {
    void labelLifecycle({ imds, kube, nodeName, dryRun: config.dryRun, logger, signal: stopping.signal }).then((result) => {
      if (result?.changed) void recordEvent('NodeManagerLifecycleLabel', `node-lifecycle=${result.lifecycle} (was ${result.previous ?? 'unset'})`);
    });
  }
  logger.info('node-manager started', {
    httpHost: config.httpHost,
    httpPort: server.port,
    pollIntervalMs: config.pollIntervalMs,
    actOn: [...config.actOn],
    drainEnabled: config.drainEnabled,
    cordonOnly: config.cordonOnly,
    labelLifecycle: config.labelLifecycle,
    ...(config.drainDisabledReason ? { drainDisabledReason: config.drainDisabledReason } : {}),
    dryRun: config.dryRun,
    imdsEndpoint: config.imds.endpoint,
  });

  return {
    httpPort: server.port,
    async stop() {
      stopping.abort();
      notifier.close();
      drainer?.close();
      await Promise.all([poller.stop(), server.close()]);
    },
  };
}

/** The acted-on notice behind a recorded key `instanceId/signal/time` (its action stands for any mutating one). */
function earlierNotice(key: string, nodeName: string): InterruptionNotice {
  const [instanceId, signal, ...time] = key.split('/');
  return parseInterruptionNotice({ version: 1, source: 'node-manager', instanceId, nodeName, signal, noticeTime: time.join('/'), action: 'reboot' });
}
