/**
 * The termination handler: one interruption notice in, the instance taken out of service, one summary out.
 *
 *   parse the event → skip a duplicate → verify the instance is ours
 *     → in parallel: deregister from target groups · quarantine every ENI · silence monitoring
 *     → record each step's outcome → publish ONE summary → fail the invocation if work is left undone
 *
 * Lambda then retries the invocation (the lead's construct sets the retry count, max event age and
 * failure destination); the state table makes the retry redo only what failed.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { InterruptionNotice } from '../../contract/interruption-notice';
import { container } from './container';
import { toFailure } from './errors';
import { observedAt, recordCount, recordOutcome, recordReceived, recordStep } from './metrics';
import { buildSummary, publishSummaryOnce, type NotifyResult, type Summary } from './notify';
import { parseEvent } from './parse-event';
import { noticeState } from './state';
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

/**
 * The Lambda entry point: the payload is parsed at the boundary (never throwing for bad input), then
 * each notice is handled by {@link handleNotice}.
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
  if (parsed.notices.length === 1) return handleNotice(parsed.notices[0]!);
  // Several instances in one event: each handled in turn; a failure is rethrown once all have run.
  const results: HandlerResult[] = [];
  let failure: unknown;
  for (const notice of parsed.notices) {
    try {
      results.push(await handleNotice(notice));
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure) throw failure;
  return { status: 'batch', results };
}

/** One validated notice: verify and confirm with AWS, act, record, summarise. */
export async function handleNotice(received: InterruptionNotice): Promise<HandlerResult> {
  const startedAtMs = Date.now();
  const { config, clients, logger, metrics, secrets } = container();
  const notice = applyActOn(received, config.actOn);
  const log = logger.createChild({ persistentKeys: { instanceId: notice.instanceId } });
  const state = noticeState(clients.dynamodb, config.stateTableName, notice);
  try {
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
      ? await runActionSteps(planned, previous.steps, { notice, instance, config, clients, log }, secrets)
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
  } finally {
    metrics.publishStoredMetrics();
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
