/**
 * Which signals delivered by EventBridge are acted on; the rest are only reported — the Lambda's side
 * of node-manager's ACT_ON (node-manager already downgrades its own notices to `report`). Both should
 * list the same signals; EventBridge-only kinds (instance state changes) are listed here alone.
 */
import { SIGNAL_KINDS, type InterruptionNotice, type SignalKind } from '../../contract/interruption-notice';

/** node-manager's default plus the state change only EventBridge delivers. */
export const DEFAULT_EVENT_ACT_ON: readonly SignalKind[] = ['spot-interruption', 'asg-termination', 'instance-state-change'];

export function isSignalKind(value: string): value is SignalKind {
  return (SIGNAL_KINDS as readonly string[]).includes(value);
}

/** The notice, with its action downgraded to `report` when it came from EventBridge and its signal is not acted on. */
export function applyActOn(notice: InterruptionNotice, actOn: ReadonlySet<SignalKind>): InterruptionNotice {
  if (notice.source !== 'eventbridge' || notice.action === 'report' || notice.action === 'cancel' || actOn.has(notice.signal)) return notice;
  return { ...notice, action: 'report' };
}
