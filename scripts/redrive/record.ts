/**
 * The record Lambda sends to an on-failure destination of an asynchronous invocation:
 *
 *   { "version": "1.0", "timestamp": "…",
 *     "requestContext": { "requestId", "functionArn": "arn:…:function:name:$LATEST",
 *                         "condition": "RetriesExhausted" | "EventAgeExceeded" | …, "approximateInvokeCount" },
 *     "requestPayload": <the original event>, "responseContext": { "statusCode", "executedVersion", "functionError" },
 *     "responsePayload": <the error the function returned> }
 *
 * Only what a replay needs is checked: where it went, and what it was sent.
 */
export interface DestinationRecord {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: string;
  readonly approximateInvokeCount?: number;
  /** The original event, replayed byte-for-byte as JSON. */
  readonly requestPayload: unknown;
  /** What the last attempt answered, for the operator's eyes. */
  readonly error?: string;
}

export type ParsedRecord = { readonly ok: true; readonly record: DestinationRecord } | { readonly ok: false; readonly reason: string };

export function parseDestinationRecord(body: string | undefined): ParsedRecord {
  let json: unknown;
  try {
    json = JSON.parse(body ?? '');
  } catch {
    return { ok: false, reason: 'the body is not JSON (not a Lambda destination record)' };
  }
  if (!isObject(json) || !isObject(json.requestContext)) return { ok: false, reason: 'no requestContext (not a Lambda destination record)' };
  const ctx = json.requestContext;
  if (typeof ctx.functionArn !== 'string' || !ctx.functionArn.startsWith('arn:')) return { ok: false, reason: 'requestContext.functionArn is missing' };
  // Lambda drops the payload from the record when request + response exceed the destination's size limit.
  if (!('requestPayload' in json) || json.requestPayload === undefined) return { ok: false, reason: 'the record carries no requestPayload (dropped by Lambda for size?)' };
  const response = isObject(json.responsePayload) ? json.responsePayload : undefined;
  return {
    ok: true,
    record: {
      requestId: typeof ctx.requestId === 'string' ? ctx.requestId : '(unknown)',
      functionArn: ctx.functionArn,
      condition: typeof ctx.condition === 'string' ? ctx.condition : '(unknown)',
      approximateInvokeCount: typeof ctx.approximateInvokeCount === 'number' ? ctx.approximateInvokeCount : undefined,
      requestPayload: json.requestPayload,
      error: response && typeof response.errorMessage === 'string' ? `${String(response.errorType ?? 'Error')}: ${response.errorMessage}` : undefined,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
