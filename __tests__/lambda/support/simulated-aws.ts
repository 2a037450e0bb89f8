/**
 * A small simulated AWS account behind aws-sdk-client-mock: EC2 instances with ENIs, ELBv2 target
 * groups with registered targets, a DynamoDB table (only the operations state.ts documents), SNS and
 * Secrets Manager. Calls change the state as AWS would, are recorded in order, can be delayed, and can
 * be made to fail. Used by the tests and by bench/termination-handler.ts.
 */
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { applyUpdate } from './fake-dynamodb';
import { autoScalingSdk, routeConfirmationCommands, SimConfirmation } from './simulated-confirmation';

export interface SimEni { id: string; ips: string[]; ipv4Prefixes?: string[]; groups: string[] }
export interface SimInstance { id: string; vpcId: string; tags: Record<string, string>; privateDnsName?: string; enis: SimEni[]; state?: string }
export interface SimTarget { id: string; port: number; state: 'healthy' | 'unhealthy' | 'draining' | 'initial' | 'unused' }
export interface SimTargetGroup {
  arn: string; name: string; vpcId: string; type: 'instance' | 'ip' | 'lambda'; port: number;
  targets: SimTarget[]; delaySeconds?: number;
}
export interface RecordedCall { command: string; input: unknown }
interface Fault { command: string; error: () => Error; remaining: number }

/** The commands that change something outside the handler. */
export const MUTATING_COMMANDS = ['DeregisterTargets', 'ModifyNetworkInterfaceAttribute', 'Publish', 'UpdateItem', 'PutItem', 'CompleteLifecycleAction'];

export const awsErrors = {
  throttling: (name = 'ThrottlingException') =>
    Object.assign(new Error('Rate exceeded'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } }),
  serverError: () =>
    Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } }),
  accessDenied: (name = 'AccessDenied') =>
    Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform this action'), { name, $fault: 'client', $metadata: { httpStatusCode: 403 } }),
  named: (name: string, status = 400) => Object.assign(new Error(name), { name, $fault: 'client', $metadata: { httpStatusCode: status } }),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SimulatedAws {
  readonly instances = new Map<string, SimInstance>();
  targetGroups: SimTargetGroup[] = [];
  readonly table = new Map<string, Record<string, AttributeValue>>();
  readonly published: PublishCommandInput[] = [];
  readonly secrets = new Map<string, string>();
  readonly calls: RecordedCall[] = [];
  /** Spot request status, scheduled events, Auto Scaling states: what confirms a notice. */
  readonly aws = new SimConfirmation();
  delayMs = 0;
  /** Highest number of calls of one command in flight at once, per command. */
  readonly peakInFlight: Record<string, number> = {};
  private inFlight: Record<string, number> = {};
  private faults: Fault[] = [];
  private stubs: AwsStub<any, any, any>[] = [];

  /** Make the next `times` calls of `command` (e.g. 'DeregisterTargets') fail with `error`. */
  fail(command: string, error: () => Error, times = Number.POSITIVE_INFINITY): this {
    this.faults.push({ command, error, remaining: times });
    return this;
  }
  clearFaults(): void { this.faults = []; }
  callsTo(command: string): RecordedCall[] { return this.calls.filter((c) => c.command === command); }
  /** Mutating calls, less the wave's own bookkeeping items in the state table (`wave#lease`, `wave#board`). */
  mutatingCalls(): RecordedCall[] {
    return this.calls.filter((c) => MUTATING_COMMANDS.includes(c.command) && !String((c.input as { Key?: { pk?: { S?: string } } })?.Key?.pk?.S ?? '').startsWith('wave#'));
  }
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[c.command] = (out[c.command] ?? 0) + 1;
    return out;
  }

  /** Route every SDK call of the five clients to this simulation. */
  install(): this {
    const ec2 = mockClient(EC2Client);
    const elbv2 = mockClient(ElasticLoadBalancingV2Client);
    const ddb = mockClient(DynamoDBClient);
    const sns = mockClient(SNSClient);
    const sm = mockClient(SecretsManagerClient);
    const asg = mockClient(autoScalingSdk.AutoScalingClient);
    this.stubs = [ec2, elbv2, ddb, sns, sm, asg];
    const on = (stub: AwsStub<any, any, any>, Command: any, name: string, fn: (input: any) => unknown) =>
      stub.on(Command).callsFake((input: unknown) => this.dispatch(name, input, () => fn(input)));
    on(ec2, DescribeInstancesCommand, 'DescribeInstances', (i) => this.describeInstances(i));
    routeConfirmationCommands(ec2, asg, (name, input, run) => this.dispatch(name, input, run), this.aws);
    on(ec2, ModifyNetworkInterfaceAttributeCommand, 'ModifyNetworkInterfaceAttribute', (i) => this.modifyEni(i));
    on(elbv2, DescribeTargetGroupsCommand, 'DescribeTargetGroups', (i) => this.describeTargetGroups(i));
    on(elbv2, DescribeTargetHealthCommand, 'DescribeTargetHealth', (i) => this.describeTargetHealth(i));
    on(elbv2, DeregisterTargetsCommand, 'DeregisterTargets', (i) => this.deregister(i));
    on(elbv2, DescribeTargetGroupAttributesCommand, 'DescribeTargetGroupAttributes', (i) => this.attributes(i));
    on(ddb, GetItemCommand, 'GetItem', (i) => ({ Item: this.table.get(i.Key.pk.S) }));
    on(ddb, UpdateItemCommand, 'UpdateItem', (i) => this.updateItem(i));
    on(sns, PublishCommand, 'Publish', (i) => { this.published.push(i); return { MessageId: `msg-${this.published.length}` }; });
    on(sm, GetSecretValueCommand, 'GetSecretValue', (i) => {
      const value = this.secrets.get(i.SecretId);
      if (value === undefined) throw awsErrors.named('ResourceNotFoundException');
      return { SecretString: value };
    });
    return this;
  }

  restore(): void { for (const s of this.stubs) s.restore(); this.stubs = []; }

  private async dispatch(command: string, input: unknown, run: () => unknown): Promise<unknown> {
    this.calls.push({ command, input: structuredClone(input) });
    this.inFlight[command] = (this.inFlight[command] ?? 0) + 1;
    this.peakInFlight[command] = Math.max(this.peakInFlight[command] ?? 0, this.inFlight[command]!);
    try {
      if (this.delayMs) await sleep(this.delayMs);
      const fault = this.faults.find((f) => f.command === command && f.remaining > 0);
      if (fault) { fault.remaining--; throw fault.error(); }
      return run();
    } finally {
      this.inFlight[command]!--;
    }
  }

  private describeInstances(input: { InstanceIds: string[] }) {
    const found = input.InstanceIds.map((id) => this.instances.get(id)).filter((i): i is SimInstance => !!i);
    if (!found.length) throw awsErrors.named('InvalidInstanceID.NotFound');
    return {
      Reservations: [{
        Instances: found.map((i) => ({
          InstanceId: i.id, VpcId: i.vpcId, PrivateDnsName: i.privateDnsName, State: { Name: i.state ?? 'running' },
          Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
          NetworkInterfaces: i.enis.map((e) => ({
            NetworkInterfaceId: e.id,
            PrivateIpAddresses: e.ips.map((PrivateIpAddress, n) => ({ PrivateIpAddress, Primary: n === 0 })),
            Ipv4Prefixes: (e.ipv4Prefixes ?? []).map((Ipv4Prefix) => ({ Ipv4Prefix })),
            Groups: e.groups.map((GroupId) => ({ GroupId })),
          })),
        })),
      }],
    };
  }

  private modifyEni(input: { NetworkInterfaceId: string; Groups: string[] }) {
    const eni = [...this.instances.values()].flatMap((i) => i.enis).find((e) => e.id === input.NetworkInterfaceId);
    if (!eni) throw awsErrors.named('InvalidNetworkInterfaceID.NotFound');
    eni.groups = [...input.Groups];
    return {};
  }

  private describeTargetGroups(input: { PageSize?: number; Marker?: string }) {
    const size = Math.min(input.PageSize ?? 400, 400);
    const start = input.Marker ? Number(input.Marker) : 0;
    const page = this.targetGroups.slice(start, start + size);
    return {
      TargetGroups: page.map((g) => ({ TargetGroupArn: g.arn, TargetGroupName: g.name, VpcId: g.vpcId, TargetType: g.type, Port: g.port })),
      NextMarker: start + size < this.targetGroups.length ? String(start + size) : undefined,
    };
  }

  private group(arn: string): SimTargetGroup {
    const g = this.targetGroups.find((t) => t.arn === arn);
    if (!g) throw awsErrors.named('TargetGroupNotFoundException');
    return g;
  }

  private describeTargetHealth(input: { TargetGroupArn: string; Targets?: { Id: string; Port?: number }[] }) {
    const g = this.group(input.TargetGroupArn);
    // As ELB does: with Targets, only the named (id, port) pairs, port defaulting to the group's.
    const targets = input.Targets
      ? g.targets.filter((t) => input.Targets!.some((q) => q.Id === t.id && (q.Port ?? g.port) === t.port))
      : g.targets;
    return { TargetHealthDescriptions: targets.map((t) => ({ Target: { Id: t.id, Port: t.port }, TargetHealth: { State: t.state } })) };
  }

  private deregister(input: { TargetGroupArn: string; Targets: { Id: string; Port?: number }[] }) {
    const g = this.group(input.TargetGroupArn);
    for (const q of input.Targets) {
      const t = g.targets.find((x) => x.id === q.Id && x.port === (q.Port ?? g.port));
      if (t) t.state = 'draining'; // an unregistered target is not an error, as in ELB
    }
    return {};
  }

  private attributes(input: { TargetGroupArn: string }) {
    const g = this.group(input.TargetGroupArn);
    return { Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(g.delaySeconds ?? 300) }] };
  }

  private updateItem(input: Parameters<typeof applyUpdate>[1]) {
    const key = input.Key.pk.S!;
    const next = applyUpdate(this.table.get(key), input);
    if (next === 'condition-failed') throw awsErrors.named('ConditionalCheckFailedException');
    this.table.set(key, next);
    return {};
  }
}
