/**
 * What every signal monitor shares: how it is called, and how it turns metadata into the one
 * notice type of the contract (the NTH `InterruptionEvent` idea).
 */
import {
  parseInterruptionNotice,
  type InterruptionNotice,
  type NoticeAction,
  type SignalKind,
} from '../../../../contract/interruption-notice';
import type { ImdsClient } from '../imds';

export interface SignalContext {
  readonly imds: ImdsClient;
  readonly instanceId: string;
  readonly nodeName?: string;
  readonly now: () => number;
  readonly signal?: AbortSignal;
}

/** One IMDS signal. `check` answers the notices present right now (usually none). */
export interface SignalMonitor {
  readonly kind: SignalKind;
  /** The metadata path it polls, for logs and metrics. */
  readonly path: string;
  check(ctx: SignalContext): Promise<InterruptionNotice[]>;
}

/** IMDS answered 200 with a body that is not what AWS documents. */
export class SignalParseError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`unexpected body at ${path}: ${detail}`);
    this.name = 'SignalParseError';
  }
}

export function parseJsonBody(path: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SignalParseError(path, `not JSON (${JSON.stringify(body.slice(0, 60))})`);
  }
}

/** Builds a notice with the action the signal itself implies; policy may downgrade it to 'report'. */
export function buildNotice(
  ctx: SignalContext,
  signal: SignalKind,
  noticeTime: Date,
  action: NoticeAction,
): InterruptionNotice {
  return parseInterruptionNotice({
    version: 1,
    source: 'node-manager',
    instanceId: ctx.instanceId,
    ...(ctx.nodeName ? { nodeName: ctx.nodeName } : {}),
    signal,
    noticeTime: noticeTime.toISOString(),
    action,
  });
}

/** Date.parse accepts both ISO-8601 and IMDS's "21 Jan 2019 09:00:43 GMT". */
export function parseTime(path: string, field: string, value: unknown): Date {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new SignalParseError(path, `${field} is not a date: ${JSON.stringify(value)}`);
  return new Date(ms);
}
