/**
 * Limits at the input boundary: how far a notice time may lie from now, and how much of an invalid
 * payload may be echoed back into logs, results and metrics; the time bounds come from the contract
 * (import-free), so the daemon, the parser and the tests read the same numbers.
 */

import { MAX_NOTICE_AGE_MS } from '../../contract/notice-bounds';

// The time bounds live in the contract: node-manager holds back what the Lambda would refuse.
export { MAX_NOTICE_AGE_MS, MAX_NOTICE_LEAD_MS, MAX_SCHEDULED_MAINTENANCE_LEAD_MS } from '../../contract/notice-bounds';

/** At most this many characters of any one value coming from the payload are echoed. */
export const MAX_ECHOED_VALUE_CHARS = 200;
/** A rejection reason, all echoed values included, never exceeds this (1 KiB). */
export const MAX_REASON_CHARS = 1024;

/** `value`, cut to `max` characters with a note of its real length. */
export function bounded(value: string, max = MAX_ECHOED_VALUE_CHARS): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length} characters, cut)`;
}

/** Joins reasons into one line no longer than {@link MAX_REASON_CHARS}. */
export function boundedReason(parts: readonly string[]): string {
  const joined = parts.map((p) => bounded(p)).join('; ');
  if (joined.length <= MAX_REASON_CHARS) return joined;
  const suffix = ` … (${parts.length} issues)`;
  return joined.slice(0, MAX_REASON_CHARS - suffix.length) + suffix;
}

/**
 * Why a notice time is out of bounds, or undefined when it is acceptable. `maxLeadMs` is the signal's
 * own horizon ({@link MAX_NOTICE_LEAD_MS}, or {@link MAX_SCHEDULED_MAINTENANCE_LEAD_MS}).
 */
export function noticeTimeProblem(noticeTime: string, maxLeadMs: number, nowMs: number): string | undefined {
  const at = Date.parse(noticeTime);
  if (Number.isNaN(at)) return 'noticeTime: must be an ISO-8601 date-time';
  const hours = (ms: number) => `${Math.round(ms / 360_000) / 10} h`;
  if (at - nowMs > maxLeadMs) {
    return `noticeTime: ${bounded(noticeTime, 40)} is more than ${hours(maxLeadMs)} ahead of now (${new Date(nowMs).toISOString()}); such a notice is refused`;
  }
  if (nowMs - at > MAX_NOTICE_AGE_MS) {
    return `noticeTime: ${bounded(noticeTime, 40)} is more than ${hours(MAX_NOTICE_AGE_MS)} in the past; such a notice is refused`;
  }
  return undefined;
}
