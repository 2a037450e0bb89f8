/**
 * Deregistration for every dying node of a wave at once (see ../deregister.ts for the why of each call).
 *
 *   discover the VPC's target groups ONCE (paged) → describe each group ONCE (its full listing is kept)
 *     → every node known at that moment, or added later, finds its targets in the listings
 *     → per group, ONE DeregisterTargets carries every pending target of every node
 *     → per node: done when every group of its VPC is read and all its targets' calls answered
 *
 * A node added after a group's listing was read uses that listing; a node added before its group's
 * deregistration went out rides along in the same call. Sends run two at a time: the pacer spaces them,
 * and a call's targets are collected as late as possible, so nodes joining meanwhile share it.
 */
import {
  DeregisterTargetsCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  paginateDescribeTargetGroups,
  type ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config';
import type { DeregisterDetail, TouchedGroup } from '../deregister';
import { toFailure } from '../errors';
import { instanceAddressMatcher } from '../instance-addresses';
import { createLimiter, type Limiter } from '../limit';
import type { StepFailure, StepOutcome, VerifiedInstance } from '../types';

const PAGE_SIZE = 400;
/** A runaway marker must not loop forever: 50 pages is 20 000 groups, far above the ELB quota. */
const MAX_PAGES = 50;
const DELAY_ATTRIBUTE = 'deregistration_delay.timeout_seconds';
/** Concurrent DeregisterTargets calls: enough to keep the paced bucket busy, few enough to merge late. */
const SEND_CONCURRENCY = 2;

type Target = { id: string; port?: number };

interface GroupState {
  readonly group: TargetGroup;
  /** Registered, not draining; set once described. */
  listing?: readonly TargetHealthDescription[];
  describeFailure?: StepFailure;
  /** Per node (instance id), the targets waiting for this group's next DeregisterTargets. */
  readonly pending: Map<string, Target[]>;
  sending: boolean;
  scheduled: boolean;
  /** Out of the configured discovery scope (not the cluster's): never read, never counted. */
  outOfScope?: boolean;
  delay?: Promise<{ seconds?: number; warning?: StepFailure }>;
}

interface NodeWork {
  readonly instance: VerifiedInstance;
  readonly isMine: (group: TargetGroup, id: string) => boolean;
  readonly outstanding: Set<string>;
  readonly failures: StepFailure[];
  readonly touched: Map<string, Target[]>;
  lastDeregisteredAtMs?: number;
  readonly done: Promise<StepOutcome<DeregisterDetail>>;
  resolve: (outcome: StepOutcome<DeregisterDetail>) => void;
  settled: boolean;
}

/**
 * Which target groups of a dying node's VPC are read. `vpc`: all of them — the safe default, it finds
 * groups made by anything. `cluster-tag`: only those the AWS Load Balancer Controller tagged
 * `elbv2.k8s.aws/cluster: <clusterName>`, plus `extraArns` (groups made outside the controller);
 * DescribeTags costs one Describe* call per 20 groups instead of one per group. When DescribeTags
 * fails, its groups are all read (the `vpc` behaviour): never fewer groups than asked for.
 */
export type TargetGroupDiscovery =
  | { readonly mode: 'vpc' }
  | { readonly mode: 'cluster-tag'; readonly clusterName: string; readonly extraArns?: readonly string[] };

/** The tag the AWS Load Balancer Controller puts on every target group it manages. */
export const LBC_CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
const TAGS_PER_CALL = 20;

export interface DeregisterWaveDeps {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly config: Pick<Config, 'deregisterConcurrency' | 'noticeWindowSeconds'>;
  readonly log?: Logger;
  /** @default { mode: 'vpc' } */
  readonly discovery?: TargetGroupDiscovery;
  /** @default Date.now */
  readonly now?: () => number;
}

export class DeregisterWave {
  private readonly nodes = new Map<string, NodeWork>();
  private readonly groups = new Map<string, GroupState>();
  private discovery?: Promise<void>;
  private discoveryDone = false;
  private discoveryFailures: StepFailure[] = [];
  private scanned = 0;
  private readonly describeLimit: Limiter;
  private readonly sendLimit = createLimiter(SEND_CONCURRENCY);
  private readonly now: () => number;
  /** API calls this wave made, by action (for tests and the summary). */
  readonly calls: Record<string, number> = {};

  constructor(private readonly deps: DeregisterWaveDeps) {
    this.describeLimit = createLimiter(deps.config.deregisterConcurrency);
    this.now = deps.now ?? Date.now;
  }

  /** Dying nodes this wave has served. */
  get size(): number {
    return this.nodes.size;
  }

  /** Adds a dying node; resolves when its deregistration is finished (never rejects). */
  add(instance: VerifiedInstance): Promise<StepOutcome<DeregisterDetail>> {
    const known = this.nodes.get(instance.instanceId);
    if (known) return known.done;
    const ownsAddress = instanceAddressMatcher(instance.enis);
    let resolve!: NodeWork['resolve'];
    const done = new Promise<StepOutcome<DeregisterDetail>>((r) => (resolve = r));
    const node: NodeWork = {
      instance,
      isMine: (group, id) => (group.TargetType === 'instance' ? id === instance.instanceId : ownsAddress(id)),
      outstanding: new Set(),
      failures: [],
      touched: new Map(),
      done,
      resolve,
      settled: false,
    };
    this.nodes.set(instance.instanceId, node);
    this.discovery ??= this.discover();
    void this.discovery.then(() => {
      // Groups already read: find this node's targets in their listings now; the rest get read.
      for (const state of this.groupsOf(instance.vpcId)) if (!state.outOfScope && (state.listing || state.describeFailure)) this.match(state, [node]);
      this.describeVpc(instance.vpcId);
      this.settle(node);
    });
    return done;
  }

  private async discover(): Promise<void> {
    let pages = 0;
    try {
      for await (const page of paginateDescribeTargetGroups({ client: this.deps.elbv2 }, { PageSize: PAGE_SIZE })) {
        this.count('DescribeTargetGroups');
        for (const group of page.TargetGroups ?? []) {
          this.scanned++;
          if (!group.TargetGroupArn || (group.TargetType !== 'instance' && group.TargetType !== 'ip')) continue;
          this.groups.set(group.TargetGroupArn, { group, pending: new Map(), sending: false, scheduled: false });
        }
        // Groups of the first page are read while the next page is fetched.
        for (const vpcId of new Set([...this.nodes.values()].map((n) => n.instance.vpcId))) this.describeVpc(vpcId);
        if (++pages >= MAX_PAGES) {
          this.discoveryFailures.push(toFailure('DescribeTargetGroups', new Error(`stopped after ${MAX_PAGES} pages`)));
          break;
        }
      }
    } catch (err) {
      this.discoveryFailures.push(toFailure('DescribeTargetGroups', err));
    }
    this.discoveryDone = true;
  }

  /** Reads every not yet scheduled group of a VPC that holds a dying node (in the discovery scope). */
  private describeVpc(vpcId: string): void {
    const fresh = this.groupsOf(vpcId).filter((g) => !g.scheduled);
    for (const state of fresh) state.scheduled = true;
    const discovery = this.deps.discovery ?? { mode: 'vpc' };
    if (discovery.mode === 'vpc') {
      for (const state of fresh) void this.describeLimit(() => this.describe(state));
      return;
    }
    for (let i = 0; i < fresh.length; i += TAGS_PER_CALL) {
      const batch = fresh.slice(i, i + TAGS_PER_CALL);
      this.pendingScope++;
      void this.describeLimit(() => this.scope(batch, discovery)).then(() => {
        this.pendingScope--;
        for (const state of batch) {
          if (!state.outOfScope) void this.describeLimit(() => this.describe(state));
        }
        for (const node of this.nodes.values()) this.settle(node);
      });
    }
  }

  private pendingScope = 0;

  /** Marks the groups of a batch the cluster does not own as out of scope (cluster-tag discovery). */
  private async scope(batch: readonly GroupState[], discovery: Extract<TargetGroupDiscovery, { mode: 'cluster-tag' }>): Promise<void> {
    const extra = new Set(discovery.extraArns ?? []);
    try {
      this.count('DescribeTags');
      const out = await this.deps.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch.map((g) => g.group.TargetGroupArn!) }));
      const owned = new Set(
        (out.TagDescriptions ?? [])
          .filter((d) => d.Tags?.some((t) => t.Key === LBC_CLUSTER_TAG && t.Value === discovery.clusterName))
          .map((d) => d.ResourceArn),
      );
      for (const state of batch) state.outOfScope = !owned.has(state.group.TargetGroupArn) && !extra.has(state.group.TargetGroupArn!);
    } catch (err) {
      this.deps.log?.warn('DescribeTags failed: reading every group of the batch instead', { error: err as Error });
    }
  }


  private async describe(state: GroupState): Promise<void> {
    const arn = state.group.TargetGroupArn!;
    try {
      this.count('DescribeTargetHealth');
      const out = await this.deps.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      state.listing = (out.TargetHealthDescriptions ?? []).filter((d) => d.Target?.Id && d.TargetHealth?.State !== 'draining');
    } catch (err) {
      // A group deleted while we page is not work left undone.
      state.listing = (err as Error).name === 'TargetGroupNotFoundException' ? [] : undefined;
      if (!state.listing) state.describeFailure = toFailure('DescribeTargetHealth', err, arn);
    }
    const waiting = [...this.nodes.values()].filter((n) => n.instance.vpcId === state.group.VpcId);
    this.match(state, waiting);
    for (const node of waiting) this.settle(node);
  }

  /** Finds the nodes' targets in a read group and queues them for its next DeregisterTargets. */
  private match(state: GroupState, nodes: readonly NodeWork[]): void {
    const arn = state.group.TargetGroupArn!;
    for (const node of nodes) {
      if (node.instance.vpcId !== state.group.VpcId) continue;
      if (state.describeFailure) {
        if (!node.failures.includes(state.describeFailure)) node.failures.push(state.describeFailure);
        continue;
      }
      if (node.touched.has(arn) || node.outstanding.has(arn)) continue;
      const targets = (state.listing ?? [])
        .filter((d) => node.isMine(state.group, d.Target!.Id!))
        .map((d) => ({ id: d.Target!.Id!, port: d.Target!.Port }));
      if (!targets.length) continue;
      state.pending.set(node.instance.instanceId, targets);
      node.outstanding.add(arn);
    }
    if (state.pending.size && !state.sending) {
      state.sending = true;
      void this.sendLimit(() => this.send(state));
    }
  }

  private async send(state: GroupState): Promise<void> {
    const arn = state.group.TargetGroupArn!;
    const batch = [...state.pending];
    state.pending.clear();
    const targets = batch.flatMap(([, t]) => t);
    let failure: StepFailure | undefined;
    try {
      this.count('DeregisterTargets');
      await this.deps.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: targets.map((t) => ({ Id: t.id, Port: t.port })) }));
    } catch (err) {
      failure = toFailure('DeregisterTargets', err, arn);
    }
    const at = this.now();
    for (const [instanceId, nodeTargets] of batch) {
      const node = this.nodes.get(instanceId)!;
      if (failure) node.failures.push(failure);
      else {
        node.touched.set(arn, nodeTargets);
        node.lastDeregisteredAtMs = at;
      }
      node.outstanding.delete(arn);
    }
    state.sending = false;
    if (state.pending.size) {
      state.sending = true;
      void this.sendLimit(() => this.send(state));
    }
    for (const [instanceId] of batch) this.settle(this.nodes.get(instanceId)!);
  }

  /** Resolves a node once discovery is over, every group of its VPC was read and its calls answered. */
  private settle(node: NodeWork): void {
    if (node.settled || !this.discovery || node.outstanding.size) return;
    if (!this.discoveryDone) return;
    if (this.pendingScope) return;
    const groups = this.groupsOf(node.instance.vpcId).filter((g) => !g.outOfScope);
    if (groups.some((g) => !g.listing && !g.describeFailure)) return;
    node.settled = true;
    void this.finish(node, groups.length).then(node.resolve);
  }

  private async finish(node: NodeWork, groupsInVpc: number): Promise<StepOutcome<DeregisterDetail>> {
    const touched: TouchedGroup[] = await Promise.all(
      [...node.touched].map(async ([arn, targets]) => {
        const state = this.groups.get(arn)!;
        state.delay ??= this.readDelay(arn);
        const delay = await state.delay;
        return {
          arn,
          name: state.group.TargetGroupName ?? arn,
          targetType: state.group.TargetType as 'instance' | 'ip',
          targets,
          deregistrationDelaySeconds: delay.seconds,
        };
      }),
    );
    const warnings: StepFailure[] = [];
    for (const [arn] of node.touched) {
      const { warning } = await this.groups.get(arn)!.delay!;
      if (warning) warnings.push(warning);
    }
    const window = this.deps.config.noticeWindowSeconds;
    return {
      failures: [...this.discoveryFailures, ...node.failures],
      detail: {
        groupsScanned: this.scanned,
        groupsInVpc,
        groupsTouched: touched,
        targetsDeregistered: touched.reduce((n, g) => n + g.targets.length, 0),
        ...(node.lastDeregisteredAtMs !== undefined ? { lastDeregisteredAt: new Date(node.lastDeregisteredAtMs).toISOString() } : {}),
        waveSize: this.nodes.size,
        slowGroups: touched
          .filter((g) => g.deregistrationDelaySeconds !== undefined && g.deregistrationDelaySeconds > window)
          .map((g) => ({ arn: g.arn, name: g.name, delaySeconds: g.deregistrationDelaySeconds! })),
        warnings,
      },
    };
  }

  private async readDelay(arn: string): Promise<{ seconds?: number; warning?: StepFailure }> {
    try {
      this.count('DescribeTargetGroupAttributes');
      const out = await this.deps.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
      const value = out.Attributes?.find((a) => a.Key === DELAY_ATTRIBUTE)?.Value;
      return { seconds: value === undefined ? 300 : Number(value) }; // ELB's default when the attribute is absent
    } catch (err) {
      return { warning: toFailure('DescribeTargetGroupAttributes', err, arn) };
    }
  }

  private groupsOf(vpcId: string): GroupState[] {
    return [...this.groups.values()].filter((g) => g.group.VpcId === vpcId);
  }

  private count(action: string): void {
    this.calls[action] = (this.calls[action] ?? 0) + 1;
  }
}
