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
 */
import { DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstanceStatusCommand, DescribeSpotInstanceRequestsCommand } from '@aws-sdk/client-ec2';
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

async function confirmSpot(facts: InstanceFacts, clients: Pick<AwsClients, 'ec2'>): Promise<Confirmation> {
  if (facts.state && PAST_RUNNING.has(facts.state)) return { status: 'confirmed', evidence: `instance state is ${facts.state}` };
  const out = await call('DescribeSpotInstanceRequests', () =>
    clients.ec2.send(new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'instance-id', Values: [facts.instanceId] }] })),
  );
  const requests = out.SpotInstanceRequests ?? [];
  const marked = requests.find((r) => r.InstanceId === facts.instanceId && isInterruptionStatusCode(r.Status?.Code));
  if (marked) return { status: 'confirmed', evidence: `Spot request ${marked.SpotInstanceRequestId} status ${marked.Status?.Code}` };
  const seen = requests.map((r) => r.Status?.Code ?? '?').join(', ') || 'no Spot request for the instance';
  return { status: 'unconfirmed', reason: `no Spot interruption for ${facts.instanceId} (DescribeSpotInstanceRequests: ${seen})` };
}

async function confirmAsg(facts: InstanceFacts, clients: Pick<AwsClients, 'autoscaling'>): Promise<Confirmation> {
  const out = await call('DescribeAutoScalingInstances', () =>
    clients.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [facts.instanceId] })),
  );
  const member = out.AutoScalingInstances?.find((i) => i.InstanceId === facts.instanceId);
  const state = member?.LifecycleState;
  if (member && state && /^(Warmed:)?Terminat/.test(state)) {
    return { status: 'confirmed', evidence: `Auto Scaling group ${member.AutoScalingGroupName} shows ${state}`, autoScalingGroupName: member.AutoScalingGroupName };
  }
  return {
    status: 'unconfirmed',
    reason: member
      ? `Auto Scaling group ${member.AutoScalingGroupName} shows ${facts.instanceId} as ${state}, not terminating`
      : `${facts.instanceId} is not in any Auto Scaling group`,
  };
}

async function activeScheduledEvents(facts: InstanceFacts, clients: Pick<AwsClients, 'ec2'>): Promise<string[]> {
  const out = await call('DescribeInstanceStatus', () =>
    clients.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [facts.instanceId], IncludeAllInstances: true })),
  );
  const status = out.InstanceStatuses?.find((s) => s.InstanceId === facts.instanceId);
  return (status?.Events ?? []).filter((e) => !CLOSED_EVENT.test(e.Description ?? '')).map((e) => `${e.Code ?? '?'} ${e.InstanceEventId ?? ''}`.trim());
}

async function confirmMaintenance(facts: InstanceFacts, clients: Pick<AwsClients, 'ec2'>): Promise<Confirmation> {
  const events = await activeScheduledEvents(facts, clients);
  return events.length
    ? { status: 'confirmed', evidence: `scheduled event ${events.join(', ')}` }
    : { status: 'unconfirmed', reason: `DescribeInstanceStatus lists no active scheduled event for ${facts.instanceId}` };
}

async function confirmCancellation(facts: InstanceFacts, clients: Pick<AwsClients, 'ec2'>): Promise<Confirmation> {
  const events = await activeScheduledEvents(facts, clients);
  return events.length
    ? { status: 'unconfirmed', reason: `scheduled event ${events.join(', ')} is still active, not cancelled` }
    : { status: 'confirmed', evidence: 'DescribeInstanceStatus lists no active scheduled event' };
}

/** Asks AWS whether the notice is true. Throws {@link ConfirmationError} when AWS cannot be asked. */
export async function confirmWithAws(
  notice: Pick<InterruptionNotice, 'signal' | 'action'>,
  facts: InstanceFacts,
  clients: Pick<AwsClients, 'ec2' | 'autoscaling'>,
): Promise<Confirmation> {
  if (notice.action === 'report') return { status: 'confirmed', evidence: 'report only: changes nothing' };
  if (notice.action === 'cancel') {
    return notice.signal === 'scheduled-maintenance'
      ? confirmCancellation(facts, clients)
      : { status: 'unconfirmed', reason: `only scheduled-maintenance notices can be cancelled, not ${notice.signal}` };
  }
  switch (notice.signal) {
    case 'spot-interruption': return confirmSpot(facts, clients);
    case 'asg-termination': return confirmAsg(facts, clients);
    case 'scheduled-maintenance': return confirmMaintenance(facts, clients);
    case 'instance-state-change':
      return facts.state && PAST_RUNNING.has(facts.state)
        ? { status: 'confirmed', evidence: `instance state is ${facts.state}` }
        : { status: 'unconfirmed', reason: `instance ${facts.instanceId} is ${facts.state ?? 'in an unknown state'}, not stopping or terminating` };
    case 'rebalance-recommendation':
    case 'capacity-reservation-interruption':
      return { status: 'unconfirmed', reason: `no AWS API confirms a ${notice.signal}: only action "report" is accepted for it` };
  }
}
