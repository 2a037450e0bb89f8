/**
 * What the daemon does with a notice: signals listed in ACT_ON keep their action (the Lambda takes
 * the node out of service, the node is drained); all others — and every notice in DRY_RUN — go to
 * the Lambda with action 'report', which by contract changes nothing.
 */
import type { InterruptionNotice, SignalKind } from '../../../contract/interruption-notice';

/** Time granted to signals whose action time is already past or unknown (rebalance, ASG). */
export const MIN_ACTION_WINDOW_MS = 120_000;

export interface NoticeDecision {
  /** The notice to send, with the action possibly downgraded to 'report'. */
  readonly notice: InterruptionNotice;
  /** True when the signal is in ACT_ON: drain the node (DRY_RUN only logs it). */
  readonly act: boolean;
  /** Epoch ms until which delivery and draining are worth attempting. */
  readonly deadline: number;
}

export function decide(
  notice: InterruptionNotice,
  policy: { readonly actOn: ReadonlySet<SignalKind>; readonly dryRun: boolean },
  detectedAt: number,
): NoticeDecision {
  const act = policy.actOn.has(notice.signal);
  const action = act && !policy.dryRun ? notice.action : 'report';
  return {
    notice: { ...notice, action },
    act,
    deadline: Math.max(Date.parse(notice.noticeTime), detectedAt + MIN_ACTION_WINDOW_MS),
  };
}
