/**
 * What AWS knows about an instance's fate, for the simulated account: Spot request status codes
 * (DescribeSpotInstanceRequests), scheduled events (DescribeInstanceStatus), Auto Scaling lifecycle
 * states and hooks (DescribeAutoScalingInstances, DescribeLifecycleHooks, CompleteLifecycleAction).
 * Shapes and error codes follow the EC2 and Auto Scaling API references.
 */
import type { AwsStub } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import * as ec2Sdk from '@aws-sdk/client-ec2';

export interface SimScheduledEvent { id: string; code: string; description: string; notBefore?: string }
export interface SimAsgMember { group: string; state: string }

export class SimConfirmation {
  /** Spot request status code per instance (e.g. `fulfilled`, `marked-for-termination`). */
  readonly spotStatus = new Map<string, string>();
  readonly scheduledEvents = new Map<string, SimScheduledEvent[]>();
  readonly asgMembers = new Map<string, SimAsgMember>();
  /** Termination hook names per Auto Scaling group. */
  readonly terminationHooks = new Map<string, string[]>();
  readonly completedLifecycleActions: { group: string; hook: string; instanceId: string; result: string }[] = [];

  handle(command: string, input: any): unknown {
    switch (command) {
      case 'DescribeSpotInstanceRequests': {
        const ids: string[] = (input.Filters ?? []).find((f: { Name: string }) => f.Name === 'instance-id')?.Values ?? [];
        return {
          SpotInstanceRequests: ids.flatMap((id) => {
            const code = this.spotStatus.get(id);
            return code === undefined ? [] : [{ SpotInstanceRequestId: `sir-${id.slice(2, 10)}`, InstanceId: id, State: 'active', Status: { Code: code } }];
          }),
        };
      }
      case 'DescribeInstanceStatus': {
        const ids: string[] = input.InstanceIds ?? [];
        return {
          InstanceStatuses: ids.map((id) => ({
            InstanceId: id,
            Events: (this.scheduledEvents.get(id) ?? []).map((e) => ({ InstanceEventId: e.id, Code: e.code, Description: e.description, NotBefore: e.notBefore ? new Date(e.notBefore) : undefined })),
          })),
        };
      }
      case 'DescribeAutoScalingInstances': {
        const ids: string[] = input.InstanceIds ?? [];
        if (ids.length > 50) throw Object.assign(new Error('The number of instance ids that may be passed in is 50'), { name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 } });
        return {
          AutoScalingInstances: ids.flatMap((id) => {
            const m = this.asgMembers.get(id);
            return m ? [{ InstanceId: id, AutoScalingGroupName: m.group, LifecycleState: m.state, HealthStatus: 'HEALTHY' }] : [];
          }),
        };
      }
      case 'DescribeLifecycleHooks':
        return {
          LifecycleHooks: (this.terminationHooks.get(input.AutoScalingGroupName) ?? []).map((name) => ({
            LifecycleHookName: name, AutoScalingGroupName: input.AutoScalingGroupName, LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
          })),
        };
      case 'CompleteLifecycleAction': {
        const m = this.asgMembers.get(input.InstanceId);
        if (!m || m.group !== input.AutoScalingGroupName || m.state !== 'Terminating:Wait') {
          throw Object.assign(new Error(`No active Lifecycle Action found with instance ID ${input.InstanceId}`), {
            name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 },
          });
        }
        this.completedLifecycleActions.push({ group: input.AutoScalingGroupName, hook: input.LifecycleHookName, instanceId: input.InstanceId, result: input.LifecycleActionResult });
        m.state = 'Terminating:Proceed';
        return {};
      }
      default:
        throw new Error(`simulated AWS does not implement ${command}`);
    }
  }
}

/** The commands this module answers, per client. */
export const CONFIRMATION_COMMANDS = {
  ec2: ['DescribeSpotInstanceRequests', 'DescribeInstanceStatus'],
  autoscaling: ['DescribeAutoScalingInstances', 'DescribeLifecycleHooks', 'CompleteLifecycleAction'],
} as const;

/**
 * The Auto Scaling SDK module exactly as the handler resolves it (so the mock patches the class the
 * handler instantiates).
 */
export const autoScalingSdk = require(
  require.resolve('@aws-sdk/client-auto-scaling', { paths: [join(__dirname, '../../../lambda/termination-handler')] }),
) as Record<string, any>;

/**
 * Routes the confirmation commands of the EC2 stub, and the Auto Scaling commands, to `state` through
 * `dispatch` (which records, delays and injects faults like every simulated call).
 */
export function routeConfirmationCommands(
  ec2: AwsStub<any, any, any>,
  autoscaling: AwsStub<any, any, any>,
  dispatch: (command: string, input: unknown, run: () => unknown) => Promise<unknown>,
  state: SimConfirmation,
): void {
  const route = (stub: AwsStub<any, any, any>, sdk: Record<string, any>, names: readonly string[]) => {
    for (const name of names) {
      stub.on(sdk[`${name}Command`]).callsFake((input: unknown) => dispatch(name, input, () => state.handle(name, input)));
    }
  };
  route(ec2, ec2Sdk, CONFIRMATION_COMMANDS.ec2);
  route(autoscaling, autoScalingSdk, CONFIRMATION_COMMANDS.autoscaling);
}
