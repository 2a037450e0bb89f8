/**
 * Limits at the input boundary: how far a notice time may lie from now, and how much of an invalid
 * payload may be echoed back into logs, results and metrics. Import-free, so both the parser and
 * the tests read the same numbers.
 */

/** Notices further ahead than this are refused (year 9999 would otherwise mute monitoring for ever). */
export const MAX_NOTICE_LEAD_MS = 6 * 3600_000;
/**
 * Scheduled maintenance is announced days ahead (AWS schedules instance retirement at least two weeks
 * out), so its notice time — the event's NotBefore — may lie this far ahead.
 */
export const MAX_SCHEDULED_MAINTENANCE_LEAD_MS = 35 * 24 * 3600_000;
/** Notices older than this are refused: longer than Lambda's 6 h max event age and EventBridge's 24 h of retries. */
export const MAX_NOTICE_AGE_MS = 24 * 3600_000;

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
