/**
 * The input boundary: whatever invoked us becomes notices, or a reason — never an exception. Two
 * shapes arrive:
 *  - the direct asynchronous invoke from node-manager, already an InterruptionNotice;
 *  - EventBridge events exactly as AWS sends them, turned into notices by the parser table keyed by
 *    (source, detail-type) — built from the one list in event-kinds.ts, which also drives the rules.
 *
 * Results:
 *  - `ok`: one or more notices (an AWS Health event may name several instances);
 *  - `rejected`: not a valid notice or event, or a notice time out of bounds — garbage is not an
 *    emergency: the handler counts it (`NoticesRejected`) and returns normally, so Lambda does not
 *    retry it and nothing lands in the failure queue;
 *  - `ignored`: a well-formed event of a kind (or state) the handler does not act on (`NoticesIgnored`).
 * Every value echoed in a reason is cut ({@link bounded}); a reason never exceeds 1 KiB.
 * Nothing here calls AWS, so bad input can never cause a mutation.
 *
 * Who delivered a payload is NOT trusted from its shape: node-manager may invoke the function with any
 * JSON, an EventBridge-shaped one included. `source: 'eventbridge'` only records the shape; verify.ts
 * confirms every mutating notice with AWS whatever its shape.
 */
import * as z from './zod';
import { interruptionNoticeSchema, type InterruptionNotice } from '../../contract/interruption-notice';
import { eventKindKey, HANDLED_EVENT_KINDS } from './event-kinds';
import { EVENT_PARSERS } from './event-parsers';
import {
  bounded,
  boundedReason,
  MAX_NOTICE_LEAD_MS,
  MAX_SCHEDULED_MAINTENANCE_LEAD_MS,
  noticeTimeProblem,
} from './notice-bounds';

export { SPOT_WARNING_LEAD_MS } from './event-parsers';

export type ParseResult =
  | { readonly status: 'ok'; readonly notices: readonly InterruptionNotice[] }
  | { readonly status: 'rejected'; readonly reason: string }
  | { readonly status: 'ignored'; readonly reason: string };

/** The EventBridge (source, detail-type) pairs this handler understands. */
export const SUPPORTED_EVENTS: readonly { source: string; detailType: string }[] = HANDLED_EVENT_KINDS.map((k) => ({
  source: k.source,
  detailType: k.detailType,
}));

/** The envelope every EventBridge event shares. */
const envelopeSchema = z.object({
  source: z.string().check(z.minLength(1)),
  'detail-type': z.string().check(z.minLength(1)),
  time: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time such as 2026-11-22T11:58:00Z' }),
  detail: z.record(z.string(), z.unknown()),
});

function issuesOf(error: z.core.$ZodError, prefix: string): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map((p) => bounded(String(p), 64))].filter(Boolean).join('.') || '(root)'}: ${i.message}`);
}

const rejected = (issues: readonly string[]): ParseResult => ({ status: 'rejected', reason: boundedReason(issues) });

function isEventBridgeEvent(event: object): boolean {
  return 'detail-type' in event || 'detail' in event;
}

/** How far ahead a notice of this signal may lie. */
function maxLeadMs(notice: InterruptionNotice): number {
  return notice.signal === 'scheduled-maintenance' ? MAX_SCHEDULED_MAINTENANCE_LEAD_MS : MAX_NOTICE_LEAD_MS;
}

function withinBounds(notices: readonly InterruptionNotice[], nowMs: number): ParseResult {
  const problems = notices.flatMap((n) => noticeTimeProblem(n.noticeTime, maxLeadMs(n), nowMs) ?? []);
  return problems.length ? rejected(problems) : { status: 'ok', notices };
}

/** Turns the raw invocation payload into notices, or a bounded reason; never throws for bad input. */
export function parseEvent(event: unknown, nowMs: number = Date.now()): ParseResult {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return rejected(['(root): expected an InterruptionNotice or an EventBridge event object']);
  }
  if (!isEventBridgeEvent(event)) {
    const notice = interruptionNoticeSchema.safeParse(event);
    return notice.success ? withinBounds([notice.data], nowMs) : rejected(issuesOf(notice.error, ''));
  }

  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) return rejected(issuesOf(envelope.error, ''));
  const { source, 'detail-type': detailType } = envelope.data;
  const parser = EVENT_PARSERS.get(eventKindKey(source, detailType));
  if (!parser) {
    return { status: 'ignored', reason: `event "${bounded(detailType, 100)}" from source "${bounded(source, 100)}" is not a kind this handler acts on` };
  }
  const detail = parser.detail.safeParse(envelope.data.detail);
  if (!detail.success) return rejected(issuesOf(detail.error, 'detail'));
  const drafts = parser.toNotices(envelope.data, detail.data as never);
  if (!drafts.length) return { status: 'ignored', reason: `event "${detailType}" asks for nothing (state or type not acted on)` };
  const notices: InterruptionNotice[] = [];
  for (const draft of drafts) {
    const notice = interruptionNoticeSchema.safeParse({ version: 1, source: 'eventbridge', ...draft });
    if (!notice.success) return rejected(issuesOf(notice.error, ''));
    notices.push(notice.data);
  }
  return withinBounds(notices, nowMs);
}
