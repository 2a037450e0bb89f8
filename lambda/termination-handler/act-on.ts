/**
 * Which signals delivered by EventBridge are acted on; the rest are only reported — the Lambda's side
 * of node-manager's ACT_ON (node-manager already downgrades its own notices to `report`). Both read
 * one list (contract/act-on.ts); the platform passes the same value to both.
 */
import { DEFAULT_ACT_ON } from '../../contract/act-on';
import { SIGNAL_KINDS, type InterruptionNotice, type SignalKind } from '../../contract/interruption-notice';

/** The one default of the contract (contract/act-on.ts), the same as node-manager's. */
export const DEFAULT_EVENT_ACT_ON: readonly SignalKind[] = DEFAULT_ACT_ON;

export function isSignalKind(value: string): value is SignalKind {
  return (SIGNAL_KINDS as readonly string[]).includes(value);
}

/** The notice, with its action downgraded to `report` when it came from EventBridge and its signal is not acted on. */
export function applyActOn(notice: InterruptionNotice, actOn: ReadonlySet<SignalKind>): InterruptionNotice {
  if (notice.source !== 'eventbridge' || notice.action === 'report' || notice.action === 'cancel' || actOn.has(notice.signal)) return notice;
  return { ...notice, action: 'report' };
}
