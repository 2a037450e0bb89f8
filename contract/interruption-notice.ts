/**
 * The ONE event contract between node-manager (the per-node daemon) and the termination Lambda.
 *
 * node-manager builds an {@link InterruptionNotice} from instance metadata and invokes the Lambda
 * asynchronously with it; the Lambda also turns EventBridge events into the same shape. Both sides
 * validate with {@link parseInterruptionNotice}, so a field renamed here breaks both at compile time.
 */
// zod/mini: the same validation as classic zod at ~2% of the bundle size (Lambda zip, daemon image).
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { SIGNAL_KINDS, type SignalKind } from './signal-kinds';

z.config(en()); // readable messages ("expected string, received undefined"), as classic zod has by default

export { SIGNAL_KINDS, type SignalKind };

/**
 * What the handler is asked to do: take the instance out of service, only report, or — `cancel` —
 * undo what was done for a scheduled-maintenance notice whose event AWS cancelled (same instance,
 * signal and notice time as the notice it cancels, so both share one {@link noticeKey}).
 */
export const NOTICE_ACTIONS = ['terminate', 'stop', 'hibernate', 'reboot', 'report', 'cancel'] as const;
export type NoticeAction = (typeof NOTICE_ACTIONS)[number];

/** Who delivered the notice. */
export const NOTICE_SOURCES = ['node-manager', 'eventbridge'] as const;
export type NoticeSource = (typeof NOTICE_SOURCES)[number];

export const INSTANCE_ID_PATTERN = /^i-[0-9a-f]{8,17}$/;

/** The payload node-manager sends, and what every EventBridge event is turned into. */
export interface InterruptionNotice {
  /** Contract version; bump on an incompatible change. */
  readonly version: 1;
  readonly source: NoticeSource;
  /** EC2 instance id, `i-` followed by 8 to 17 hex digits. */
  readonly instanceId: string;
  /** Kubernetes node name, when known (the daemon knows it; EventBridge does not). */
  readonly nodeName?: string;
  readonly signal: SignalKind;
  /** ISO-8601 time at which the action happens (spot: the `time` of `instance-action`). */
  readonly noticeTime: string;
  readonly action: NoticeAction;
}

const isoTime = z.string().check(
  z.refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), {
    message: 'must be an ISO-8601 date-time such as 2026-11-22T12:00:00Z',
  }),
);

export const interruptionNoticeSchema = z.strictObject({
  version: z.literal(1),
  source: z.enum(NOTICE_SOURCES),
  instanceId: z.string().check(z.regex(INSTANCE_ID_PATTERN, 'must match ^i-[0-9a-f]{8,17}$ (an EC2 instance id)')),
  nodeName: z.optional(z.string().check(z.minLength(1), z.maxLength(253))),
  signal: z.enum(SIGNAL_KINDS),
  noticeTime: isoTime,
  action: z.enum(NOTICE_ACTIONS),
});

/** Thrown for input that is not a valid notice; `issues` name each offending field. */
export class InvalidNoticeError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`invalid interruption notice: ${issues.join('; ')}`);
    this.name = 'InvalidNoticeError';
  }
}

/** Validates unknown input as a notice, or throws {@link InvalidNoticeError} naming the fields. */
export function parseInterruptionNotice(input: unknown): InterruptionNotice {
  const result = interruptionNoticeSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidNoticeError(
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/**
 * The deduplication key of a notice: the same instance, signal and notice time is the same notice,
 * whoever delivered it (daemon, EventBridge, or a Lambda retry).
 */
export function noticeKey(notice: Pick<InterruptionNotice, 'instanceId' | 'signal' | 'noticeTime'>): string {
  return `${notice.instanceId}/${notice.signal}/${new Date(notice.noticeTime).toISOString()}`;
}
