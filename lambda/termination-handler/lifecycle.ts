/**
 * Step 5 (ASG terminations only): once the node is out of service — deregistered and quarantined —
 * tell the Auto Scaling group to go on: CompleteLifecycleAction with result CONTINUE on each of the
 * group's termination hooks. Without it the group waits for the hook's heartbeat timeout before it
 * terminates the instance (and its replacement waits with it).
 *
 * The group is the one AWS named when it confirmed the termination (DescribeAutoScalingInstances),
 * never one taken from the notice. A hook with no pending action for the instance (another delivery
 * completed it, or it timed out) answers ValidationError "No active Lifecycle Action": not a failure.
 * The role may complete actions only on groups carrying the cluster tag.
 */
import { CompleteLifecycleActionCommand, DescribeLifecycleHooksCommand } from '@aws-sdk/client-auto-scaling';
import { toFailure } from './errors';
import type { StepContext, StepFailure, StepOutcome, StepResult } from './types';

export const TERMINATING_TRANSITION = 'autoscaling:EC2_INSTANCE_TERMINATING';

export interface LifecycleDetail {
  readonly autoScalingGroupName: string;
  readonly completed: readonly string[];
  /** Hooks with no pending action for this instance. */
  readonly notPending: readonly string[];
}

/** The steps that must have succeeded before the group may terminate the node. */
export const OUT_OF_SERVICE_STEPS = ['deregister', 'quarantine'] as const;

/** Why the node is not out of service yet, or undefined when it is. */
export function notOutOfService(results: readonly StepResult[]): string | undefined {
  const pending = OUT_OF_SERVICE_STEPS.filter((step) => {
    const r = results.find((x) => x.step === step);
    return !r || r.status === 'failed';
  });
  return pending.length ? `the node is not out of service yet (${pending.join(', ')} not done)` : undefined;
}

export async function completeLifecycleAction(ctx: StepContext, outOfService: string | undefined): Promise<StepOutcome<LifecycleDetail>> {
  const group = ctx.instance.autoScalingGroupName;
  if (!group) return { failures: [], skipped: 'AWS named no Auto Scaling group terminating the instance' };
  if (outOfService) {
    return { failures: [{ operation: 'CompleteLifecycleAction', resource: group, error: `not completed: ${outOfService}; the retry completes it`, kind: 'other' }] };
  }
  let hooks: string[];
  try {
    const out = await ctx.clients.autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: group }));
    hooks = (out.LifecycleHooks ?? []).filter((h) => h.LifecycleTransition === TERMINATING_TRANSITION).flatMap((h) => (h.LifecycleHookName ? [h.LifecycleHookName] : []));
  } catch (err) {
    return { failures: [toFailure('DescribeLifecycleHooks', err, group)] };
  }
  if (!hooks.length) return { failures: [], skipped: `Auto Scaling group ${group} has no termination lifecycle hook` };

  const completed: string[] = [];
  const notPending: string[] = [];
  const failures: StepFailure[] = [];
  for (const hook of hooks) {
    try {
      await ctx.clients.autoscaling.send(
        new CompleteLifecycleActionCommand({
          AutoScalingGroupName: group,
          LifecycleHookName: hook,
          InstanceId: ctx.instance.instanceId,
          LifecycleActionResult: 'CONTINUE',
        }),
      );
      completed.push(hook);
    } catch (err) {
      if ((err as Error).name === 'ValidationError' && /No active Lifecycle Action/i.test((err as Error).message)) notPending.push(hook);
      else failures.push(toFailure('CompleteLifecycleAction', err, `${group}/${hook}`));
    }
  }
  return { failures, detail: { autoScalingGroupName: group, completed, notPending } };
}
