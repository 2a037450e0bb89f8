/**
 * Which `cancel` notices the Lambda is owed. A scheduled-maintenance notice the Lambda was asked to
 * act on (its action not `report`) makes the Lambda quarantine the instance and mute monitoring;
 * when AWS cancels the event, the Lambda undoes that only if told, with the same instance, signal
 * and notice time and action `cancel`. The cancel is owed when the daemon puts the node back in
 * service: no acted-on event of the signal is listed any more. A rescheduled event (a new NotBefore,
 * a new key) keeps the earlier one waiting, as the node stays out of service; once the last one goes,
 * each of them is cancelled. A cancel stays pending until Lambda accepted it (202), then is never
 * sent again — exactly once per cancellation.
 */
import { noticeKey, type InterruptionNotice, type SignalKind } from '../../../contract/interruption-notice';

/** Signals that AWS may cancel; what was done for them is undone when they vanish. */
export const CANCELLABLE: ReadonlySet<SignalKind> = new Set<SignalKind>(['scheduled-maintenance']);

export class Cancellations {
  /** Mutating notices sent to the Lambda whose event is still listed: key → notice. */
  private readonly listed = new Map<string, InterruptionNotice>();
  /** Acted-on notices no longer listed while another of their signal still is. */
  private readonly waiting = new Map<string, InterruptionNotice>();
  /** Cancels owed and not yet accepted: key → the cancel notice. */
  private readonly owed = new Map<string, InterruptionNotice>();

  /** Records a notice sent to the Lambda; only mutating notices of cancellable signals are tracked. */
  sent(notice: InterruptionNotice): void {
    if (!CANCELLABLE.has(notice.signal) || notice.action === 'report' || notice.action === 'cancel') return;
    const key = noticeKey(notice);
    this.listed.set(key, notice);
    this.waiting.delete(key);
    this.owed.delete(key); // the event is listed again: cancelling it now would be refused
  }

  /**
   * After a poll of `signal` listed `present` (keys): the cancels that became owed now, in notice
   * time order (each also stays in {@link pending} until accepted).
   */
  checked(signal: SignalKind, present: ReadonlySet<string>): InterruptionNotice[] {
    if (!CANCELLABLE.has(signal)) return [];
    for (const [key, notice] of this.listed) {
      if (notice.signal !== signal || present.has(key)) continue;
      this.listed.delete(key);
      this.waiting.set(key, notice);
    }
    if ([...this.listed.values()].some((n) => n.signal === signal)) return [];
    const due = [...this.waiting.entries()].filter(([, n]) => n.signal === signal);
    const cancels: InterruptionNotice[] = [];
    for (const [key, notice] of due.sort(([, a], [, b]) => Date.parse(a.noticeTime) - Date.parse(b.noticeTime))) {
      this.waiting.delete(key);
      const cancel: InterruptionNotice = { ...notice, action: 'cancel' };
      this.owed.set(key, cancel);
      cancels.push(cancel);
    }
    return cancels;
  }

  /** Cancels not yet accepted by the Lambda. */
  pending(): InterruptionNotice[] {
    return [...this.owed.values()];
  }

  /** Lambda accepted the cancel: it is not sent again. */
  accepted(cancel: InterruptionNotice): void {
    this.owed.delete(noticeKey(cancel));
  }
}
