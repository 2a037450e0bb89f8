/**
 * The termination handler: one interruption notice in, the instance taken out of service, one summary out.
 *
 *   parse the event → join the wave (./waves: one container does the AWS work for every notice at once)
 *   and, per notice: skip a duplicate → verify the instance is ours
 *     → in parallel: deregister (shared by the whole wave) · quarantine every ENI · silence monitoring
 *     → record each step's outcome → publish ONE summary → fail the invocation if work is left undone
 *
 * Lambda then retries the invocation (the construct sets the retry count, max event age and failure
 * destination); the state table makes the retry redo only what failed.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { noticeKey, parseInterruptionNotice, type InterruptionNotice } from '../../contract/interruption-notice';
import { container } from './container';
import { toFailure } from './errors';
import { observedAt, recordCount, recordOutcome, recordReceived, recordStep, recordWave } from './metrics';
import { buildSummary, publishSummaryOnce, type NotifyResult, type Summary } from './notify';
import { parseEvent } from './parse-event';
import { noticeState } from './state';
import { waveBoard } from './waves/board';
import { DeregisterWave } from './waves/deregister-wave';
import { runInWave, type HandledByLeader } from './waves/run';
import { plannedSteps, runActionSteps } from './steps';
import type { ActionStep, StepFailure, StepStatus } from './types';
import { applyActOn } from './act-on';
import { ConfirmationError } from './confirm';
import { verifyInstance, type Verification } from './verify';

export type HandlerResult =
  /** Not a valid notice (or its time out of bounds): counted, logged (bounded), never retried. */
  | { readonly status: 'rejected'; readonly reason: string }
  /** A well-formed event of a kind or state the handler does not act on: counted no-op. */
  | { readonly status: 'ignored'; readonly reason: string }
  /** An event naming several instances (AWS Health): one result per notice. */
  | { readonly status: 'batch'; readonly results: readonly HandlerResult[] }
  | HandledByLeader
  | { readonly status: 'refused'; readonly noticeKey: string; readonly reason: string }
  | { readonly status: 'duplicate'; readonly noticeKey: string }
  | {
      readonly status: 'done';
      readonly noticeKey: string;
      readonly steps: Readonly<Partial<Record<ActionStep, StepStatus>>>;
      readonly summary: NotifyResult['status'] | 'published-earlier';
    };

/** Thrown after the summary went out when work is left undone, so that Lambda retries. */
export class StepsFailedError extends Error {
  constructor(readonly failures: readonly (StepFailure & { step: string })[]) {
    super(`termination steps failed: ${failures.map((f) => `${f.step}: ${f.operation} ${f.resource ?? ''} ${f.error}`).join('; ')}`);
    this.name = 'StepsFailedError';
  }
}

/** Without a Lambda context (tests, scripts), an invocation is assumed to have this long. */
const DEFAULT_REMAINING_MS = 90_000;
/**
 * The end of an invocation kept clear of the pacer's resending of throttled requests: the SDK's own
 * retries of a call still throttled then, and the summary and state writes after it.
 */
const RESEND_RESERVE_MS = 15_000;

/**
 * The Lambda entry point: the payload is parsed at the boundary (never throwing for bad input), then
 * each notice joins the wave ({@link handleInWave}).
 */
export async function handler(event: unknown, context?: Context): Promise<HandlerResult> {
  const { logger, metrics } = container();
  if (context) logger.addContext(context);
  const parsed = parseEvent(event);
  if (parsed.status !== 'ok') {
    recordCount(metrics, parsed.status === 'rejected' ? 'NoticesRejected' : 'NoticesIgnored');
    metrics.publishStoredMetrics();
    if (parsed.status === 'rejected') logger.warn('rejected invocation payload: not a valid interruption notice', { reason: parsed.reason });
    else logger.info('ignored event: not a kind this handler acts on', { reason: parsed.reason });
    return parsed;
  }
  if (parsed.notices.length === 1) return handleInWave(parsed.notices[0]!, context);
  // Several instances in one event: each handled in turn; a failure is rethrown once all have run.
  const results: HandlerResult[] = [];
  let failure: unknown;
  for (const notice of parsed.notices) {
    try {
      results.push(await handleInWave(notice, context));
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure) throw failure;
  return { status: 'batch', results };
}

/** One validated notice joins the wave; the wave's leader handles it with {@link handleNotice}. */
async function handleInWave(received: InterruptionNotice, context?: Context): Promise<HandlerResult> {
  const startedAtMs = Date.now();
  const { config, clients, logger, metrics, pacer } = container();
  const notice = applyActOn(received, config.actOn);
  const throttledBefore = pacer.throttledCalls;
  const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? () => context.getRemainingTimeInMillis() : undefined;
  const remainingMs = remaining ?? (() => DEFAULT_REMAINING_MS - (Date.now() - startedAtMs));
  pacer.resendThrottledFor(remainingMs() - RESEND_RESERVE_MS);
  try {
    // A duplicate delivery of a finished notice costs one read, and never waits for a wave.
    if (await isFinished(notice)) {
      recordReceived(metrics, notice);
      recordCount(metrics, 'DuplicatesIgnored');
      logger.info('duplicate notice: every step and the summary are already done', { noticeKey: noticeKey(notice) });
      return { status: 'duplicate', noticeKey: noticeKey(notice) };
    }
    return await runInWave<HandlerResult>(notice, {
      // The holder names the invocation (its request id) for the logs, and is unique per run.
      board: waveBoard(clients.dynamodb, config.stateTableName, `${context?.awsRequestId ?? 'local'}/${randomUUID()}`, config.waveLeaseSeconds * 1000),
      newWave: () => new DeregisterWave({
        elbv2: clients.elbv2, config, log: logger,
        discovery: config.targetGroupDiscovery === 'cluster-tag'
          ? { mode: 'cluster-tag', clusterName: config.clusterName, extraArns: config.extraTargetGroupArns }
          : { mode: 'vpc' },
      }),
      handle: (n, wave) => handleNotice(n, wave),
      parse: parseInterruptionNotice,
      keyOf: noticeKey,
      remainingMs,
      leaseMs: config.waveLeaseSeconds * 1000,
      log: logger.createChild({ persistentKeys: { instanceId: notice.instanceId } }),
      onWaveDone: (notices) => recordWave(metrics, notices, pacer.throttledCalls - throttledBefore),
    });
  } finally {
    metrics.publishStoredMetrics();
  }
}

async function isFinished(notice: InterruptionNotice): Promise<boolean> {
  const { config, clients } = container();
  const previous = await noticeState(clients.dynamodb, config.stateTableName, notice).load();
  return previous.summaryPublished && plannedSteps(notice.action, notice.signal).every((s) => previous.steps[s] === 'succeeded' || previous.steps[s] === 'skipped');
}

/**
 * One notice, inside a wave: verify and confirm with AWS, act (its deregistration shares the wave's
 * scan and calls), record, summarise.
 */
async function handleNotice(notice: InterruptionNotice, wave: DeregisterWave): Promise<HandlerResult> {
  const startedAtMs = Date.now();
  const { config, clients, logger, metrics, secrets } = container();
  const log = logger.createChild({ persistentKeys: { instanceId: notice.instanceId } });
  const state = noticeState(clients.dynamodb, config.stateTableName, notice);
  {
    recordReceived(metrics, notice);
    log.info('interruption notice received', { notice, noticeKey: state.key });

    // 1. A notice whose steps and summary are all done is a duplicate delivery.
    const previous = await state.load();
    const planned = plannedSteps(notice.action, notice.signal);
    const isDone = (s: ActionStep) => previous.steps[s] === 'succeeded' || previous.steps[s] === 'skipped';
    if (previous.summaryPublished && planned.every(isDone)) {
      recordCount(metrics, 'DuplicatesIgnored');
      log.info('duplicate notice: every step and the summary are already done', { noticeKey: state.key });
      return { status: 'duplicate', noticeKey: state.key };
    }

    // 2. Touch nothing that is not this cluster's.
    const verification = await verifyOrFailure(notice, config, clients, log);
    if (verification.status === 'refused' && verification.cause === 'not-in-cluster') {
      recordCount(metrics, 'NoticesRefused');
      return { status: 'refused', noticeKey: state.key, reason: verification.reason };
    }
    // Not confirmed by AWS: nothing is done, but the refusal is counted and summarised (a forged notice is news).
    const unconfirmed = verification.status === 'refused' ? verification.reason : undefined;
    if (unconfirmed) {
      recordCount(metrics, 'NoticesRefused');
      recordCount(metrics, 'NoticesUnconfirmed');
    } else recordStep(metrics, 'verify', verification.status === 'verified');
    const instance = verification.status === 'verified' ? verification.instance : undefined;

    // 3. In parallel: deregister · quarantine · silence monitoring; then remember each outcome.
    const results = instance
      ? await runActionSteps(planned, previous.steps, { notice, instance, config, clients, log, wave }, secrets)
      : [];
    const doneAtMs = Date.now();
    await Promise.all(results.filter((r) => !r.doneEarlier).map((r) => state.recordStep(r.step, r.status)));

    // 4. One summary per notice.
    const observedAtMs = observedAt(notice, config.noticeWindowSeconds, startedAtMs);
    const summary = buildSummary({
      clusterName: config.clusterName,
      notice,
      noticeKey: state.key,
      instance,
      verifyFailure: verification.status === 'failed' ? verification.failure : undefined,
      refusal: unconfirmed,
      results,
      stateFailures: state.failures,
      timings: { startedAtMs, observedAtMs, doneAtMs },
    });
    logSteps(log, summary);
    const notified = previous.summaryPublished
      ? ({ status: 'published-earlier' } as const)
      : await publishSummaryOnce(summary, { sns: clients.sns, topicArn: config.summaryTopicArn, state, log });
    if (notified.status === 'published' || notified.status === 'failed') recordStep(metrics, 'notify', notified.status === 'published');
    if (instance) recordOutcome(metrics, results, observedAtMs, doneAtMs);

    // 5. Work left undone fails the invocation, so Lambda retries it.
    const failures = [
      ...summary.failures.filter((f) => f.step !== 'state'),
      ...(notified.status === 'failed' ? [{ step: 'notify', ...notified.failure }] : []),
      ...state.failures.map((f) => ({ step: 'state', ...f })), // includes the claim's, made after the summary
    ];
    log.info('interruption handled', { outcome: summary.outcome, summary: notified.status, failures: failures.length });
    if (failures.length) throw new StepsFailedError(failures);
    if (unconfirmed) return { status: 'refused', noticeKey: state.key, reason: unconfirmed };
    return {
      status: 'done',
      noticeKey: state.key,
      steps: Object.fromEntries(results.map((r) => [r.step, r.status])),
      summary: notified.status,
    };
  }
}

function logSteps(log: Logger, summary: Summary): void {
  for (const step of summary.steps) {
    const failures = summary.failures.filter((f) => f.step === step.step);
    log[failures.length ? 'error' : 'info'](`step ${step.step} ${step.status}`, { step, failures });
  }
}

type VerifyOutcome = Verification | { readonly status: 'failed'; readonly failure: StepFailure };

async function verifyOrFailure(
  notice: InterruptionNotice,
  config: ReturnType<typeof container>['config'],
  clients: ReturnType<typeof container>['clients'],
  log: Logger,
): Promise<VerifyOutcome> {
  try {
    return await verifyInstance(notice, config, clients, log);
  } catch (err) {
    // Fails closed: AWS could not confirm, so nothing is mutated and the invocation is retried.
    log.error('could not verify the notice with AWS; touching nothing', { error: err as Error });
    const operation = err instanceof ConfirmationError ? err.operation : 'DescribeInstances';
    return { status: 'failed', failure: toFailure(operation, err, notice.instanceId) };
  }
}
