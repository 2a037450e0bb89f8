/**
 * Which steps a notice calls for, and the runner that makes each step isolated: it never throws, it
 * times the step, and it skips a step an earlier attempt already finished.
 */
import type { NoticeAction, SignalKind } from '../../contract/interruption-notice';
import { deregisterFromTargetGroups } from './deregister';
import { completeLifecycleAction, notOutOfService } from './lifecycle';
import { toFailure } from './errors';
import { silenceMonitoring } from './monitoring';
import type { SecretCache } from './monitoring/secret';
import { quarantineInstance } from './quarantine';
import { restoreAfterCancel } from './restore';
import {
  ACTION_STEPS,
  type ActionStep,
  type StepContext,
  type StepOutcome,
  type StepResult,
  type StepStatus,
} from './types';

/**
 * `report` (a rebalance recommendation) only informs: the instance is still healthy and may live on,
 * so nothing is deregistered, quarantined or silenced. Every other action ends the instance's service.
 * Note that the quarantine group survives a stop/start; a stopped or hibernated node is expected to be
 * replaced, as Karpenter and the ASG engines do.
 */
export function plannedSteps(action: NoticeAction, signal?: SignalKind): readonly ActionStep[] {
  if (action === 'report') return [];
  if (action === 'cancel') return ['restore'];
  return ACTION_STEPS.filter((s) => s !== 'restore' && (s !== 'lifecycle' || signal === 'asg-termination'));
}

export async function runStep<D>(
  step: ActionStep,
  previously: StepStatus | undefined,
  work: () => Promise<StepOutcome<D>>,
): Promise<StepResult<D>> {
  if (previously === 'succeeded' || previously === 'skipped') {
    return { step, status: 'skipped', durationMs: 0, note: `done by an earlier attempt (${previously})`, failures: [], doneEarlier: true };
  }
  const started = performance.now();
  let outcome: StepOutcome<D>;
  try {
    outcome = await work();
  } catch (err) {
    outcome = { failures: [toFailure(step, err)] }; // a bug, not an AWS answer: still isolated
  }
  const status = outcome.failures.length ? 'failed' : outcome.skipped ? 'skipped' : 'succeeded';
  return {
    step,
    status,
    durationMs: Math.round(performance.now() - started),
    ...(outcome.skipped ? { note: outcome.skipped } : {}),
    failures: outcome.failures,
    ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
  };
}

/**
 * Runs the planned steps concurrently, each isolated by {@link runStep}; a step an earlier attempt
 * finished is not run again. `lifecycle` waits for the others: the group may terminate the node only
 * once it is out of service.
 */
export async function runActionSteps(
  planned: readonly ActionStep[],
  previously: Partial<Record<ActionStep, StepStatus>>,
  ctx: StepContext,
  secretCache: SecretCache,
): Promise<StepResult[]> {
  const work: Record<Exclude<ActionStep, 'lifecycle'>, () => Promise<StepOutcome>> = {
    deregister: () => deregisterFromTargetGroups(ctx),
    quarantine: () => quarantineInstance(ctx),
    monitoring: () => silenceMonitoring(ctx, secretCache),
    restore: () => restoreAfterCancel(ctx, secretCache),
  };
  const first = await Promise.all(
    planned.flatMap((step) => (step === 'lifecycle' ? [] : [runStep(step, previously[step], work[step])])),
  );
  if (!planned.includes('lifecycle')) return first;
  const lifecycle = await runStep('lifecycle', previously.lifecycle, () => completeLifecycleAction(ctx, notOutOfService(first)));
  return [...first, lifecycle];
}
