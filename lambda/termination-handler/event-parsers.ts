/**
 * One parser per {@link HANDLED_EVENT_KINDS} entry: the event's `detail` schema, and how a valid event
 * becomes notices. Shapes follow AWS's documented samples (fixtures under __tests__/lambda/events).
 * A parser may return no notice (an event of a handled kind that asks for nothing, e.g. a state the
 * handler does not act on): the handler counts that as ignored.
 */
import * as z from './zod';
import { INSTANCE_ID_PATTERN, type InterruptionNotice, type NoticeAction } from '../../contract/interruption-notice';
import { eventKindKey, HANDLED_EVENT_KINDS, STATE_CHANGE_STATES } from './event-kinds';

/** EC2 issues the spot warning this long before it acts (AWS's number, not a setting). */
export const SPOT_WARNING_LEAD_MS = 120_000;

/** The envelope fields a parser reads. */
export interface EventEnvelope {
  readonly source: string;
  readonly 'detail-type': string;
  readonly time: string;
}

export type NoticeDraft = Omit<InterruptionNotice, 'version' | 'source'>;

export interface EventParser {
  readonly detail: z.ZodMiniType;
  readonly toNotices: (event: EventEnvelope, detail: never) => readonly NoticeDraft[];
}

const instanceId = z.string().check(z.regex(INSTANCE_ID_PATTERN, 'must match ^i-[0-9a-f]{8,17}$ (an EC2 instance id)'));
const shortString = z.string().check(z.maxLength(256));
const iso = (t: string) => new Date(t).toISOString();

const spotWarningDetail = z.object({
  'instance-id': instanceId,
  'instance-action': z.enum(['terminate', 'stop', 'hibernate']),
});
const instanceOnlyDetail = z.object({ 'instance-id': instanceId });
const stateChangeDetail = z.object({ 'instance-id': instanceId, state: shortString });
const capacityReservationDetail = z.object({ 'instance-id': instanceId, 'instance-action': z.optional(shortString) });
const lifecycleDetail = z.object({
  EC2InstanceId: instanceId,
  AutoScalingGroupName: z.optional(shortString),
  LifecycleHookName: z.optional(shortString),
  LifecycleTransition: z.optional(shortString),
});
const healthDetail = z.object({
  service: shortString,
  eventTypeCode: shortString,
  eventTypeCategory: shortString,
  statusCode: z.optional(shortString),
  affectedEntities: z.array(z.object({ entityValue: z.string().check(z.maxLength(1600)) })).check(z.maxLength(1000)),
});

const ACT_ON_STATE: Record<(typeof STATE_CHANGE_STATES)[number], NoticeAction> = {
  stopping: 'stop',
  stopped: 'stop',
  'shutting-down': 'terminate',
  terminated: 'terminate',
};

/**
 * What an AWS Health scheduled change does to the instance, from its event type code
 * (AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED, AWS_EC2_PERSISTENT_INSTANCE_RETIREMENT_SCHEDULED,
 * AWS_EC2_INSTANCE_STOP_SCHEDULED, AWS_EC2_*_REBOOT_*MAINTENANCE_SCHEDULED, …). Anything else, and an
 * event AWS has closed, is reported only.
 */
export function healthEventAction(eventTypeCode: string, statusCode: string | undefined): NoticeAction {
  if (statusCode === 'closed' || !eventTypeCode.startsWith('AWS_EC2_')) return 'report';
  if (eventTypeCode.includes('RETIREMENT')) return 'terminate';
  if (eventTypeCode.includes('_STOP_')) return 'stop';
  if (eventTypeCode.includes('REBOOT') || eventTypeCode.includes('MAINTENANCE')) return 'reboot';
  return 'report';
}

const BY_ID: Record<string, EventParser> = {
  'spot-warning': {
    detail: spotWarningDetail,
    toNotices: (event, detail: z.infer<typeof spotWarningDetail>) => [{
      instanceId: detail['instance-id'],
      signal: 'spot-interruption',
      // The event is emitted when the warning is issued; the action itself follows two minutes later,
      // which is the time IMDS reports, so both delivery paths share one dedup key.
      noticeTime: new Date(Date.parse(event.time) + SPOT_WARNING_LEAD_MS).toISOString(),
      action: detail['instance-action'],
    }],
  },
  rebalance: {
    detail: instanceOnlyDetail,
    toNotices: (event, detail: z.infer<typeof instanceOnlyDetail>) => [
      { instanceId: detail['instance-id'], signal: 'rebalance-recommendation', noticeTime: iso(event.time), action: 'report' },
    ],
  },
  'state-change': {
    detail: stateChangeDetail,
    toNotices: (event, detail: z.infer<typeof stateChangeDetail>) => {
      const action = ACT_ON_STATE[detail.state as keyof typeof ACT_ON_STATE];
      return action ? [{ instanceId: detail['instance-id'], signal: 'instance-state-change', noticeTime: iso(event.time), action }] : [];
    },
  },
  'capacity-reservation': {
    detail: capacityReservationDetail,
    // No AWS API confirms this warning, so it is reported; the state change that follows acts.
    toNotices: (event, detail: z.infer<typeof capacityReservationDetail>) => [
      { instanceId: detail['instance-id'], signal: 'capacity-reservation-interruption', noticeTime: iso(event.time), action: 'report' },
    ],
  },
  'asg-lifecycle': {
    detail: lifecycleDetail,
    toNotices: (event, detail: z.infer<typeof lifecycleDetail>) => [
      { instanceId: detail.EC2InstanceId, signal: 'asg-termination', noticeTime: iso(event.time), action: 'terminate' },
    ],
  },
  'health-scheduled': {
    detail: healthDetail,
    toNotices: (event, detail: z.infer<typeof healthDetail>) => {
      if (detail.service !== 'EC2' || detail.eventTypeCategory !== 'scheduledChange') return [];
      const action = healthEventAction(detail.eventTypeCode, detail.statusCode);
      const ids = [...new Set(detail.affectedEntities.map((e) => e.entityValue).filter((v) => INSTANCE_ID_PATTERN.test(v)))];
      // Acted on when AWS announces it (as Karpenter does): the node is replaced before the window.
      return ids.map((id) => ({ instanceId: id, signal: 'scheduled-maintenance' as const, noticeTime: iso(event.time), action }));
    },
  },
};

/** Parsers keyed by {@link eventKindKey}; built from the one list, so every handled kind has one. */
export const EVENT_PARSERS: ReadonlyMap<string, EventParser> = new Map(
  HANDLED_EVENT_KINDS.map((kind) => {
    const parser = BY_ID[kind.id];
    if (!parser) throw new Error(`event kind ${kind.id} has no parser in event-parsers.ts`);
    return [eventKindKey(kind.source, kind.detailType), parser] as const;
  }),
);

/** Kind ids that have a parser (a test checks they are exactly the handled kinds). */
export const PARSER_KIND_IDS: readonly string[] = Object.keys(BY_ID);
