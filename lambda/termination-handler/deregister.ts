/**
 * Step 2: take the instance out of every target group in its VPC, before EC2 takes it away.
 *
 * The work is done by a {@link DeregisterWave} shared by every dying node the wave knows of: one
 * DescribeTargetHealth per target group serves all of them, one DeregisterTargets per group removes all
 * their targets. A notice handled alone is a wave of one.
 *
 * Why DescribeTargetHealth WITHOUT `Targets`: with `Targets: [{Id}]` ELB reports that id on the group's
 * default port only, so registrations on other ports — the NodePorts of the AWS Load Balancer
 * Controller's instance mode, or several ports per id — would be missed. Listing the group's targets and
 * filtering by id costs the same one call per group, finds every (id, port) pair, and serves every node.
 * `instance` groups match the instance id; `ip` groups match any address of any of its ENIs.
 * Targets already `draining` are left alone, so a retry repeats only what is still registered.
 */
import type { StepContext, StepFailure, StepOutcome } from './types';
import { DeregisterWave } from './waves/deregister-wave';

/** DescribeTargetGroups returns at most 400 groups a page. */
export const TARGET_GROUP_PAGE_SIZE = 400;

export interface TouchedGroup {
  readonly arn: string;
  readonly name: string;
  readonly targetType: 'instance' | 'ip';
  readonly targets: readonly { id: string; port?: number }[];
  /** Seconds ELB keeps draining; undefined when the attribute could not be read. */
  readonly deregistrationDelaySeconds?: number;
}

export interface DeregisterDetail {
  readonly groupsScanned: number;
  readonly groupsInVpc: number;
  readonly groupsTouched: readonly TouchedGroup[];
  readonly targetsDeregistered: number;
  /** When the last of this node's registrations was removed (ISO time); absent when none was. */
  readonly lastDeregisteredAt?: string;
  /** Dying nodes whose deregistration shared this wave's scan (this one included). */
  readonly waveSize: number;
  /** Groups whose drain outlasts the notice window: in-flight requests will be cut. */
  readonly slowGroups: readonly { arn: string; name: string; delaySeconds: number }[];
  /** Failed reads that left no work undone (the delay attribute). */
  readonly warnings: readonly StepFailure[];
}

/** The step for one node: joins the context's wave, or runs a wave of one. */
export function deregisterFromTargetGroups(ctx: StepContext): Promise<StepOutcome<DeregisterDetail>> {
  const wave = ctx.wave ?? new DeregisterWave({ elbv2: ctx.clients.elbv2, config: ctx.config, log: ctx.log });
  return wave.add(ctx.instance);
}
