/**
 * The shapes every step shares: what a step is given, and what it hands back.
 * Steps never throw for an AWS or HTTP failure; they return it, so one failure cannot stop the others.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { InterruptionNotice } from '../../contract/interruption-notice';
import type { AwsClients } from './clients';
import type { Config } from './config';
import type { DeregisterWave } from './waves/deregister-wave';

/**
 * The steps that change the world; verify and notify frame them. `lifecycle` (completing the Auto
 * Scaling termination hook) runs only for ASG terminations, after the node is out of service;
 * `restore` (undo quarantine and monitoring) only for a cancelled scheduled-maintenance notice.
 */
export const ACTION_STEPS = ['deregister', 'quarantine', 'monitoring', 'lifecycle', 'restore'] as const;
export type ActionStep = (typeof ACTION_STEPS)[number];

export type StepStatus = 'succeeded' | 'failed' | 'skipped';

/** One thing that went wrong, and why, in words an operator can act on. */
export interface StepFailure {
  /** The API call or HTTP request, e.g. `DeregisterTargets`. */
  readonly operation: string;
  /** What it was called on (a target group ARN, an ENI id…), when there is one. */
  readonly resource?: string;
  readonly error: string;
  /** `throttled`, `server-error`, `access-denied`, `timeout` or `other`: the why, for the summary. */
  readonly kind: FailureKind;
}
export type FailureKind = 'throttled' | 'server-error' | 'access-denied' | 'timeout' | 'other';

export interface StepResult<Detail = unknown> {
  readonly step: ActionStep;
  readonly status: StepStatus;
  readonly durationMs: number;
  /** Why a step was skipped (already done by an earlier attempt, provider `none`, …). */
  readonly note?: string;
  readonly failures: readonly StepFailure[];
  readonly detail?: Detail;
  /** True when an earlier attempt finished this step and it did not run now. */
  readonly doneEarlier?: boolean;
}

/** What a step function returns; the runner adds the step name, status and duration. */
export interface StepOutcome<Detail = unknown> {
  readonly failures: readonly StepFailure[];
  readonly detail?: Detail;
  /** Set when the step had nothing to do, and says why. */
  readonly skipped?: string;
}

/** One network interface of the instance, as DescribeInstances reports it. */
export interface InstanceEni {
  readonly id: string;
  /** Every private IPv4 and IPv6 address on the ENI (primary and secondary). */
  readonly addresses: readonly string[];
  /** IPv4 prefixes delegated to the ENI (VPC CNI prefix mode hands pod IPs out of these). */
  readonly ipv4Prefixes: readonly string[];
  readonly securityGroupIds: readonly string[];
}

/** The instance, once verify has confirmed it belongs to this cluster. */
export interface VerifiedInstance {
  readonly instanceId: string;
  readonly vpcId: string;
  readonly privateDnsName?: string;
  readonly state?: string;
  readonly enis: readonly InstanceEni[];
  /** The Auto Scaling group terminating the instance, when AWS confirmed an ASG termination. */
  readonly autoScalingGroupName?: string;
}

/** Everything a step needs, passed explicitly so each step is testable alone. */
export interface StepContext {
  readonly notice: InterruptionNotice;
  readonly instance: VerifiedInstance;
  readonly config: Config;
  readonly clients: AwsClients;
  readonly log: Logger;
  /** The wave this node's deregistration joins; absent = a wave of one. */
  readonly wave?: DeregisterWave;
}
