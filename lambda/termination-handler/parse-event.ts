/**
 * The input boundary: whatever invoked us becomes ONE {@link InterruptionNotice}, or an error naming
 * the offending field. Two shapes arrive:
 *  - the direct asynchronous invoke from node-manager, already an InterruptionNotice;
 *  - EventBridge events exactly as AWS sends them, turned into a notice by a table of parsers keyed by
 *    (source, detail-type), as Karpenter's interruption controller does.
 * Nothing here calls AWS, so bad input can never cause a mutation.
 */
import * as z from './zod';
import {
  INSTANCE_ID_PATTERN,
  InvalidNoticeError,
  parseInterruptionNotice,
  type InterruptionNotice,
} from '../../contract/interruption-notice';

/** EC2 issues the spot warning this long before it acts (AWS's number, not a setting). */
export const SPOT_WARNING_LEAD_MS = 120_000;

const instanceId = z.string().check(z.regex(INSTANCE_ID_PATTERN, 'must match ^i-[0-9a-f]{8,17}$ (an EC2 instance id)'));

/** The envelope every EventBridge event shares. */
const envelopeSchema = z.object({
  source: z.string().check(z.minLength(1)),
  'detail-type': z.string().check(z.minLength(1)),
  time: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time such as 2026-11-22T11:58:00Z' }),
  detail: z.record(z.string(), z.unknown()),
});
type Envelope = z.infer<typeof envelopeSchema>;

interface EventParser {
  readonly detail: z.ZodMiniType;
  readonly toNotice: (event: Envelope, detail: never) => Omit<InterruptionNotice, 'version' | 'source'>;
}

const spotWarningDetail = z.object({
  'instance-id': instanceId,
  'instance-action': z.enum(['terminate', 'stop', 'hibernate']),
});
const rebalanceDetail = z.object({ 'instance-id': instanceId });
const lifecycleDetail = z.object({ EC2InstanceId: instanceId });

/** Keyed by `${source}|${detail-type}`. */
const PARSERS: Record<string, EventParser> = {
  'aws.ec2|EC2 Spot Instance Interruption Warning': {
    detail: spotWarningDetail,
    toNotice: (event, detail: z.infer<typeof spotWarningDetail>) => ({
      instanceId: detail['instance-id'],
      signal: 'spot-interruption',
      // The event is emitted when the warning is issued; the action itself follows two minutes later,
      // which is the time IMDS reports, so both delivery paths share one dedup key.
      noticeTime: new Date(Date.parse(event.time) + SPOT_WARNING_LEAD_MS).toISOString(),
      action: detail['instance-action'],
    }),
  },
  'aws.ec2|EC2 Instance Rebalance Recommendation': {
    detail: rebalanceDetail,
    toNotice: (event, detail: z.infer<typeof rebalanceDetail>) => ({
      instanceId: detail['instance-id'],
      signal: 'rebalance-recommendation',
      noticeTime: new Date(event.time).toISOString(),
      action: 'report',
    }),
  },
  'aws.autoscaling|EC2 Instance-terminate Lifecycle Action': {
    detail: lifecycleDetail,
    toNotice: (event, detail: z.infer<typeof lifecycleDetail>) => ({
      instanceId: detail.EC2InstanceId,
      signal: 'asg-termination',
      noticeTime: new Date(event.time).toISOString(),
      action: 'terminate',
    }),
  },
};

/** The EventBridge (source, detail-type) pairs this handler understands; the construct builds its rules from it. */
export const SUPPORTED_EVENTS: readonly { source: string; detailType: string }[] = Object.keys(PARSERS).map((key) => {
  const [source, detailType] = key.split('|') as [string, string];
  return { source, detailType };
});

function issuesOf(error: z.core.$ZodError, prefix: string): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${i.message}`);
}

function isEventBridgeEvent(event: object): boolean {
  return 'detail-type' in event || 'detail' in event;
}

/** Turns the raw invocation payload into a validated notice, or throws {@link InvalidNoticeError}. */
export function parseEvent(event: unknown): InterruptionNotice {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidNoticeError(['(root): expected an InterruptionNotice or an EventBridge event object']);
  }
  if (!isEventBridgeEvent(event)) return parseInterruptionNotice(event);

  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) throw new InvalidNoticeError(issuesOf(envelope.error, ''));
  const { source, 'detail-type': detailType } = envelope.data;
  const parser = PARSERS[`${source}|${detailType}`];
  if (!parser) {
    const supported = SUPPORTED_EVENTS.map((e) => `${e.source}/"${e.detailType}"`).join(', ');
    throw new InvalidNoticeError([
      `detail-type: unsupported event "${detailType}" from source "${source}"; supported: ${supported}`,
    ]);
  }
  const detail = parser.detail.safeParse(envelope.data.detail);
  if (!detail.success) throw new InvalidNoticeError(issuesOf(detail.error, 'detail'));
  return parseInterruptionNotice({
    version: 1,
    source: 'eventbridge',
    ...parser.toNotice(envelope.data, detail.data as never),
  });
}
