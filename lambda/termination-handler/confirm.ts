/**
 * Zero trust: a notice changes nothing until AWS itself confirms it. Any node can invoke this function
 * with any JSON — a notice naming another, healthy node, or an EventBridge-shaped event — so the shape
 * of a payload proves nothing and every mutating notice is confirmed, whoever seems to have sent it:
 *
 * | signal | AWS evidence |
 * |---|---|
 * | spot-interruption | the instance's Spot request carries an interruption status code (DescribeSpotInstanceRequests), or the instance is already stopping/shutting down |
 * | asg-termination | DescribeAutoScalingInstances shows a `Terminating…` (or `Terminated`) lifecycle state |
 * | scheduled-maintenance | DescribeInstanceStatus lists a scheduled event that is neither completed nor cancelled |
 * | instance-state-change | DescribeInstances (already read by verify) shows the instance past `running` |
 * | rebalance-recommendation, capacity-reservation-interruption | no API confirms them: `report` only |
 *
 * A `cancel` (undo for a cancelled scheduled-maintenance event) is confirmed when DescribeInstanceStatus
 * no longer lists an active event. `report` notices change nothing and need no confirmation.
 * Unconfirmed is an answer ({@link Confirmation}); an AWS failure throws {@link ConfirmationError}, so
 * the caller fails closed and Lambda retries.
 *
 * {@link confirmNotices} confirms a whole wave with one describe call per API and page (Spot requests
 * and instance status 100 instances a call, Auto Scaling 50), not one per notice: EC2's describe
 * buckets hold 100 tokens refilled 20/s, and a mass interruption must not drain them.
 */
import { DescribeAutoScalingInstancesCommand, type AutoScalingInstanceDetails } from '@aws-sdk/client-auto-scaling';
import {
  DescribeInstanceStatusCommand,
  DescribeSpotInstanceRequestsCommand,
  type InstanceStatusEvent,
  type SpotInstanceRequest,
} from '@aws-sdk/client-ec2';
import type { InterruptionNotice } from '../../contract/interruption-notice';
import type { AwsClients } from './clients';

export type Confirmation =
  | { readonly status: 'confirmed'; readonly evidence: string; readonly autoScalingGroupName?: string }
  | { readonly status: 'unconfirmed'; readonly reason: string };

/** An AWS call failed while confirming: nothing may be mutated, the invocation is retried. */
export class ConfirmationError extends Error {
  constructor(readonly operation: string, readonly cause: unknown) {
    super(`${operation} failed while confirming the notice with AWS: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = (cause as Error)?.name ?? 'ConfirmationError';
    Object.assign(this, { $metadata: (cause as { $metadata?: unknown })?.$metadata, $fault: (cause as { $fault?: unknown })?.$fault });
  }
}

/** What verify already knows of the instance (DescribeInstances). */
export interface InstanceFacts {
  readonly instanceId: string;
  readonly state?: string;
}

/**
 * Spot request status codes that mean EC2 is interrupting (or has interrupted) the instance:
 * `marked-for-termination`, `marked-for-stop`, `marked-for-hibernation`… and the
 * `instance-terminated|stopped|hibernated-by-price|no-capacity|…` codes that follow them. The
 * `…-by-user` codes are the owner's own action, not an interruption.
 */
export function isInterruptionStatusCode(code: string | undefined): boolean {
  if (!code) return false;
  if (code.startsWith('marked-for-')) return true;
  return /^instance-(terminated|stopped|hibernated)-/.test(code) && !code.endsWith('-by-user');
}

const PAST_RUNNING = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);
const CLOSED_EVENT = /^\[(Completed|Canceled|Cancelled)\]/i;

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new ConfirmationError(operation, err);
  }
}

/** Ids per describe call: DescribeAutoScalingInstances takes at most 50, the EC2 calls are kept to 100. */
const EC2_PAGE = 100;
const ASG_PAGE = 50;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function spotRequests(ids: readonly string[], clients: Pick<AwsClients, 'ec2'>): Promise<Map<string, SpotInstanceRequest[]>> {
  const byInstance = new Map<string, SpotInstanceRequest[]>();
  for (const page of chunks(ids, EC2_PAGE)) {
    const out = await call('DescribeSpotInstanceRequests', () =>
      clients.ec2.send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'instance-id', Values: page }] })),
    );
    for (const r of out.SpotInstanceRequests ?? []) {
      if (r.InstanceId) byInstance.set(r.InstanceId, [...(byInstance.get(r.InstanceId) ?? []), r]);
    }
  }
  return byInstance;
}

async function asgMembers(ids: readonly string[], clients: Pick<AwsClients, 'autoscaling'>): Promise<Map<string, AutoScalingInstanceDetails>> {
  const byInstance = new Map<string, AutoScalingInstanceDetails>();
  for (const page of chunks(ids, ASG_PAGE)) {
    const out = await call('DescribeAutoScalingInstances', () =>
      clients.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: page, MaxRecords: ASG_PAGE })),
    );
    for (const m of out.AutoScalingInstances ?? []) if (m.InstanceId) byInstance.set(m.InstanceId, m);
  }
  return byInstance;
}

/** Scheduled events neither completed nor cancelled, per instance. */
async function activeEvents(ids: readonly string[], clients: Pick<AwsClients, 'ec2'>): Promise<Map<string, InstanceStatusEvent[]>> {
  const byInstance = new Map<string, InstanceStatusEvent[]>();
  for (const page of chunks(ids, EC2_PAGE)) {
    const out = await call('DescribeInstanceStatus', () =>
      clients.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: page, IncludeAllInstances: true })),
    );
    for (const s of out.InstanceStatuses ?? []) {
      if (s.InstanceId) byInstance.set(s.InstanceId, (s.Events ?? []).filter((e) => !CLOSED_EVENT.test(e.Description ?? '')));
    }
  }
  return byInstance;
}

const describeEvents = (events: readonly InstanceStatusEvent[]) => events.map((e) => `${e.Code ?? '?'} ${e.InstanceEventId ?? ''}`.trim()).join(', ');

/** What AWS said, fetched once per wave. */
interface Evidence {
  readonly spot: Map<string, SpotInstanceRequest[]>;
  readonly asg: Map<string, AutoScalingInstanceDetails>;
  readonly events: Map<string, InstanceStatusEvent[]>;
}

type Question = 'spot' | 'asg' | 'events' | undefined;

/** Which describe call a notice needs answered, if any. */
function questionOf(notice: Pick<InterruptionNotice, 'signal' | 'action'>, facts: InstanceFacts): Question {
  if (notice.action === 'report') return undefined;
  if (notice.action === 'cancel') return notice.signal === 'scheduled-maintenance' ? 'events' : undefined;
  if (notice.signal === 'spot-interruption') return facts.state && PAST_RUNNING.has(facts.state) ? undefined : 'spot';
  if (notice.signal === 'asg-termination') return 'asg';
  if (notice.signal === 'scheduled-maintenance') return 'events';
  return undefined;
}

function judge(notice: Pick<InterruptionNotice, 'signal' | 'action'>, facts: InstanceFacts, evidence: Evidence): Confirmation {
  const id = facts.instanceId;
  if (notice.action === 'report') return { status: 'confirmed', evidence: 'report only: changes nothing' };
  if (notice.action === 'cancel') {
    if (notice.signal !== 'scheduled-maintenance') {
      return { status: 'unconfirmed', reason: `only scheduled-maintenance notices can be cancelled, not ${notice.signal}` };
    }
    const events = evidence.events.get(id) ?? [];
    return events.length
      ? { status: 'unconfirmed', reason: `scheduled event ${describeEvents(events)} is still active, not cancelled` }
      : { status: 'confirmed', evidence: 'DescribeInstanceStatus lists no active scheduled event' };
  }
  switch (notice.signal) {
    case 'spot-interruption': {
      if (facts.state && PAST_RUNNING.has(facts.state)) return { status: 'confirmed', evidence: `instance state is ${facts.state}` };
      const requests = evidence.spot.get(id) ?? [];
      const marked = requests.find((r) => isInterruptionStatusCode(r.Status?.Code));
      if (marked) return { status: 'confirmed', evidence: `Spot request ${marked.SpotInstanceRequestId} status ${marked.Status?.Code}` };
      const seen = requests.map((r) => r.Status?.Code ?? '?').join(', ') || 'no Spot request for the instance';
      return { status: 'unconfirmed', reason: `no Spot interruption for ${id} (DescribeSpotInstanceRequests: ${seen})` };
    }
    case 'asg-termination': {
      const member = evidence.asg.get(id);
      const state = member?.LifecycleState;
      if (member && state && /^(Warmed:)?Terminat/.test(state)) {
        return { status: 'confirmed', evidence: `Auto Scaling group ${member.AutoScalingGroupName} shows ${state}`, autoScalingGroupName: member.AutoScalingGroupName };
      }
      return {
        status: 'unconfirmed',
        reason: member ? `Auto Scaling group ${member.AutoScalingGroupName} shows ${id} as ${state}, not terminating` : `${id} is not in any Auto Scaling group`,
      };
    }
    case 'scheduled-maintenance': {
      const events = evidence.events.get(id) ?? [];
      return events.length
        ? { status: 'confirmed', evidence: `scheduled event ${describeEvents(events)}` }
        : { status: 'unconfirmed', reason: `DescribeInstanceStatus lists no active scheduled event for ${id}` };
    }
    case 'instance-state-change':
      return facts.state && PAST_RUNNING.has(facts.state)
        ? { status: 'confirmed', evidence: `instance state is ${facts.state}` }
        : { status: 'unconfirmed', reason: `instance ${id} is ${facts.state ?? 'in an unknown state'}, not stopping or terminating` };
    case 'rebalance-recommendation':
    case 'capacity-reservation-interruption':
      return { status: 'unconfirmed', reason: `no AWS API confirms a ${notice.signal}: only action "report" is accepted for it` };
  }
}

/**
 * Asks AWS whether each notice is true, with one describe call per API and page for the whole wave.
 * Answers in the order of `items`. Throws {@link ConfirmationError} when AWS cannot be asked.
 */
export async function confirmNotices(
  items: readonly { readonly notice: Pick<InterruptionNotice, 'signal' | 'action'>; readonly facts: InstanceFacts }[],
  clients: Pick<AwsClients, 'ec2' | 'autoscaling'>,
): Promise<Confirmation[]> {
  const idsFor = (q: Question) => [...new Set(items.filter((i) => questionOf(i.notice, i.facts) === q).map((i) => i.facts.instanceId))];
  const [spot, asg, events] = await Promise.all([
    idsFor('spot').length ? spotRequests(idsFor('spot'), clients) : new Map<string, SpotInstanceRequest[]>(),
    idsFor('asg').length ? asgMembers(idsFor('asg'), clients) : new Map<string, AutoScalingInstanceDetails>(),
    idsFor('events').length ? activeEvents(idsFor('events'), clients) : new Map<string, InstanceStatusEvent[]>(),
  ]);
  return items.map((i) => judge(i.notice, i.facts, { spot, asg, events }));
}

/** {@link confirmNotices} for one notice. */
export async function confirmWithAws(
  notice: Pick<InterruptionNotice, 'signal' | 'action'>,
  facts: InstanceFacts,
  clients: Pick<AwsClients, 'ec2' | 'autoscaling'>,
): Promise<Confirmation> {
  const [answer] = await confirmNotices([{ notice, facts }], clients);
  return answer!;
}
