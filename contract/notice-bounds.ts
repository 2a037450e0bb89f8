/**
 * How far a notice time may lie from now, shared by the daemon (which waits to send a notice until
 * it is inside these bounds) and the Lambda (which refuses a notice outside them). Import-free.
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
