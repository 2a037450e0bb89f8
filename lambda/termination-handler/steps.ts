/**
 * Which steps a notice calls for, and the runner that makes each step isolated: it never throws, it
 * times the step, and it skips a step an earlier attempt already finished.
 */
import type { NoticeAction } from '../../contract/interruption-notice';
import { deregisterFromTargetGroups } from './deregister';
import { toFailure } from './errors';
import { silenceMonitoring } from './monitoring';
import type { SecretCache } from './monitoring/secret';
import { quarantineInstance } from './quarantine';
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
export function plannedSteps(action: NoticeAction): readonly ActionStep[] {
  return action === 'report' ? [] : ACTION_STEPS;
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
 * finished is not run again.
 */
export function runActionSteps(
  planned: readonly ActionStep[],
  previously: Partial<Record<ActionStep, StepStatus>>,
  ctx: StepContext,
  secretCache: SecretCache,
): Promise<StepResult[]> {
  const work: Record<ActionStep, () => Promise<StepOutcome>> = {
    deregister: () => deregisterFromTargetGroups(ctx),
    quarantine: () => quarantineInstance(ctx),
    monitoring: () => silenceMonitoring(ctx, secretCache),
  };
  return Promise.all(planned.map((step) => runStep(step, previously[step], work[step])));
}
