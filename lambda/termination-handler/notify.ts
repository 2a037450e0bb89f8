/**
 * Step 5: ONE SNS message per notice that says what happened to the instance: the notice, each step's
 * result and timing, the target groups touched, and every failure with its reason. The state table's
 * claim makes it one message across duplicate deliveries; a failed Publish releases the claim so the
 * retry sends it. Retries that later fix a failed step do not send a second message (logs and the
 * StepSucceeded metric show them).
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { InterruptionNotice } from '../../contract/interruption-notice';
import type { DeregisterDetail } from './deregister';
import { toFailure } from './errors';
import type { NoticeState } from './state';
import type { StepFailure, StepResult, VerifiedInstance } from './types';

/** Keep the message far below SNS's 256 KB even with hundreds of target groups. */
const MAX_GROUPS_LISTED = 100;

export interface SummaryInput {
  readonly clusterName: string;
  readonly notice: InterruptionNotice;
  readonly noticeKey: string;
  readonly instance?: VerifiedInstance;
  /** Verify's failure, when the instance could not even be looked up. */
  readonly verifyFailure?: StepFailure;
  /** Why AWS did not confirm the notice, when it did not: nothing was done. */
  readonly refusal?: string;
  readonly results: readonly StepResult[];
  readonly stateFailures: readonly StepFailure[];
  readonly timings: { readonly startedAtMs: number; readonly observedAtMs: number; readonly doneAtMs: number };
}

export type NotifyResult =
  | { readonly status: 'published'; readonly messageId?: string }
  | { readonly status: 'already-published' }
  | { readonly status: 'failed'; readonly failure: StepFailure };

export function buildSummary(input: SummaryInput) {
  const { notice, results, timings } = input;
  const failures = [
    ...(input.verifyFailure ? [{ step: 'verify', ...input.verifyFailure }] : []),
    ...results.flatMap((r) => r.failures.map((f) => ({ step: r.step, ...f }))),
    ...input.stateFailures.map((f) => ({ step: 'state', ...f })),
  ];
  const failedSteps = [...new Set(failures.map((f) => f.step))];
  const deregister = results.find((r) => r.step === 'deregister')?.detail as DeregisterDetail | undefined;
  const groups = deregister?.groupsTouched ?? [];
  const outcome = input.refusal
    ? `refused: ${input.refusal} — nothing done`
    : input.verifyFailure
    ? 'instance could not be verified: nothing done, Lambda will retry'
    : failedSteps.length
      ? `failed: ${failedSteps.join(', ')} — Lambda retries only the failed steps`
      : results.length
        ? notice.action === 'cancel'
          ? 'maintenance cancelled: quarantine and monitoring restored'
          : 'instance taken out of service'
        : 'reported only (no action for this signal)';
  return {
    outcome,
    failedSteps,
    cluster: input.clusterName,
    instanceId: notice.instanceId,
    nodeName: notice.nodeName ?? input.instance?.privateDnsName,
    signal: notice.signal,
    action: notice.action,
    source: notice.source,
    noticeTime: notice.noticeTime,
    noticeKey: input.noticeKey,
    steps: results.map(({ step, status, durationMs, note, detail }) => ({ step, status, durationMs, note, detail: slim(step, detail) })),
    targetGroupsTouched: groups.slice(0, MAX_GROUPS_LISTED).map((g) => ({
      name: g.name,
      arn: g.arn,
      targets: g.targets.map((t) => (t.port === undefined ? t.id : `${t.id}:${t.port}`)),
      deregistrationDelaySeconds: g.deregistrationDelaySeconds,
    })),
    targetGroupsNotListed: Math.max(0, groups.length - MAX_GROUPS_LISTED),
    slowDeregistrationGroups: deregister?.slowGroups ?? [],
    timings: {
      noticeObservedAt: new Date(timings.observedAtMs).toISOString(),
      handlerStartedAt: new Date(timings.startedAtMs).toISOString(),
      doneAt: new Date(timings.doneAtMs).toISOString(),
      noticeToDoneMs: Math.max(0, timings.doneAtMs - timings.observedAtMs),
      handlerMs: timings.doneAtMs - timings.startedAtMs,
      msLeftBeforeNoticeTime: Date.parse(notice.noticeTime) - timings.doneAtMs,
      // When this node's last target-group registration was removed (absent: it had none, or none went).
      ...(deregister?.lastDeregisteredAt
        ? {
            lastDeregisteredAt: deregister.lastDeregisteredAt,
            noticeToLastDeregistrationMs: Math.max(0, Date.parse(deregister.lastDeregisteredAt) - timings.observedAtMs),
          }
        : {}),
    },
    failures,
  };
}
export type Summary = ReturnType<typeof buildSummary>;

/** The deregister detail is listed separately; keep the per-step view to counts. */
function slim(step: string, detail: unknown): unknown {
  if (step !== 'deregister' || !detail) return detail;
  const d = detail as DeregisterDetail;
  return {
    groupsScanned: d.groupsScanned, groupsInVpc: d.groupsInVpc, groupsTouched: d.groupsTouched.length, targetsDeregistered: d.targetsDeregistered,
    lastDeregisteredAt: d.lastDeregisteredAt, waveSize: d.waveSize, warnings: d.warnings,
  };
}

function subjectOf(summary: Summary): string {
  const verdict = summary.failures.length
    ? `FAILED ${summary.failedSteps.join(',')}`
    : summary.outcome.startsWith('refused') ? 'REFUSED, not confirmed by AWS' : 'ok';
  // SNS subjects: ASCII, at most 100 characters.
  return `[${summary.cluster}] ${summary.signal} ${summary.instanceId}: ${verdict}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

export async function publishSummaryOnce(
  summary: Summary,
  deps: { sns: SNSClient; topicArn: string; state: NoticeState; log: Logger },
): Promise<NotifyResult> {
  const claim = await deps.state.claimSummary();
  if (claim.status === 'already-published') {
    deps.log.info('summary already published by another delivery of this notice');
    return { status: 'already-published' };
  }
  try {
    const out = await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.topicArn,
        Subject: subjectOf(summary),
        Message: JSON.stringify(summary, null, 2),
        MessageAttributes: {
          cluster: { DataType: 'String', StringValue: summary.cluster },
          instanceId: { DataType: 'String', StringValue: summary.instanceId },
          signal: { DataType: 'String', StringValue: summary.signal },
          failed: { DataType: 'String', StringValue: summary.failures.length ? 'true' : 'false' },
        },
      }),
    );
    return { status: 'published', messageId: out.MessageId };
  } catch (err) {
    if (claim.status === 'claimed') await deps.state.releaseSummary(claim.token);
    return { status: 'failed', failure: toFailure('SNS Publish', err, deps.topicArn) };
  }
}
