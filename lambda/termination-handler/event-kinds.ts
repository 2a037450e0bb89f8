/**
 * The ONE list of EventBridge event kinds the termination handler understands. Import-free on purpose:
 * the construct builds its EventBridge rules from it at synth time (no zod, no SDK loaded), and
 * parse-event.ts keys its parser table by the same kinds — a test fails when the two disagree.
 *
 * An event of any other kind reaching the handler is a counted no-op (`NoticesIgnored`), not an error.
 */

/** One kind of event: what a rule matches, and which notice signal it becomes. */
export interface HandledEventKind {
  /** Short stable name, used in rule names and metrics. */
  readonly id: string;
  /** EventBridge `source`. */
  readonly source: string;
  /** EventBridge `detail-type`. */
  readonly detailType: string;
  /**
   * Extra `detail` filter of the rule: AWS only delivers events whose detail fields hold one of the
   * listed values (e.g. only the instance states the handler acts on).
   */
  readonly detailFilter?: Readonly<Record<string, readonly string[]>>;
  /** What the handler does with it, in one line (rule descriptions, docs). */
  readonly description: string;
}

/** Instance states that end a node's service: stopping/shutting-down act, stopped/terminated clean up. */
export const STATE_CHANGE_STATES = ['stopping', 'stopped', 'shutting-down', 'terminated'] as const;

export const HANDLED_EVENT_KINDS: readonly HandledEventKind[] = [
  {
    id: 'spot-warning',
    source: 'aws.ec2',
    detailType: 'EC2 Spot Instance Interruption Warning',
    description: 'Spot interruption warning (two minutes): take the node out of service',
  },
  {
    id: 'rebalance',
    source: 'aws.ec2',
    detailType: 'EC2 Instance Rebalance Recommendation',
    description: 'Rebalance recommendation: report only',
  },
  {
    id: 'state-change',
    source: 'aws.ec2',
    detailType: 'EC2 Instance State-change Notification',
    detailFilter: { state: STATE_CHANGE_STATES },
    description: 'Instance stopping/shutting-down: take out of service; stopped/terminated: clean up after the fact',
  },
  {
    id: 'capacity-reservation',
    source: 'aws.ec2',
    detailType: 'EC2 Capacity Reservation Instance Interruption Warning',
    description: 'Capacity-reservation interruption warning: report (no API confirms it; the state change that follows acts)',
  },
  {
    id: 'asg-lifecycle',
    source: 'aws.autoscaling',
    detailType: 'EC2 Instance-terminate Lifecycle Action',
    description: 'Auto Scaling termination lifecycle hook: take out of service, then complete the lifecycle action',
  },
  {
    id: 'health-scheduled',
    source: 'aws.health',
    detailType: 'AWS Health Event',
    detailFilter: { service: ['EC2'], eventTypeCategory: ['scheduledChange'] },
    description: 'AWS Health scheduled change for EC2 instances: act per event type (retirement, reboot, stop) or report',
  },
];

/** The table key of a (source, detail-type) pair. */
export function eventKindKey(source: string, detailType: string): string {
  return `${source}|${detailType}`;
}

/** The EventBridge event pattern of one kind, as a plain object (the construct JSON-encodes it). */
export function eventPattern(kind: HandledEventKind): Record<string, unknown> {
  return {
    source: [kind.source],
    'detail-type': [kind.detailType],
    ...(kind.detailFilter ? { detail: Object.fromEntries(Object.entries(kind.detailFilter).map(([k, v]) => [k, [...v]])) } : {}),
  };
}
