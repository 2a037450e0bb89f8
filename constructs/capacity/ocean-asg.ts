/**
 * The `asg` engine for the Ocean: per launch spec, one SpotNodeGroup per capacity variant — the
 * spot group, and its on-demand twin `<name>-od` when the capacity falls back to on-demand — and
 * Cluster Autoscaler (role in the Ocean's scope, Helm release in the kubernetes scope).
 *
 * Spot by default: Cluster Autoscaler's priority expander ranks every spot group above every
 * mixed group, above every on-demand group (and any other group, the system one included, last),
 * so a pod that asks for nothing scales a spot group. Within a class, a spec's `weight` ranks it. When spot runs dry the group fails to provision and, after
 * `maxNodeProvisionTime`, the autoscaler backs it off and scales the twin. A pod asks for
 * on-demand with `nodeSelector: { node-lifecycle: on-demand }`, which only the twins (and other
 * on-demand groups) carry. Every group has a termination lifecycle hook.
 */
import { Construct } from 'constructs';
import { ClusterAutoscaler, ClusterAutoscalerRole } from './engines/asg/cluster-autoscaler';
import { SpotNodeGroup } from './engines/asg/spot-node-group';
import { checkAsgSupport } from './engines/asg/support';
import { HeadroomPlaceholders } from './headroom';
import { ON_DEMAND_NODE_SELECTOR, type Lifecycle } from './launch-spec';
import { capacityVariants } from './lifecycle';
import { fieldOrigin, type ResolvedLaunchSpec } from './ocean-defaults';
import { unsupported, type InterruptionDrainer, type OceanEngine, type OceanEngineProps } from './ocean-engine';

/**
 * Cluster Autoscaler priority bases of the groups this engine renders; a group ranks at its base
 * plus its spec's `weight` (1–50), so every spot group stays above every mixed one, above every
 * on-demand one. Unlisted groups (the system group, your own) get {@link EXPANDER_PRIORITY.other}.
 */
export const EXPANDER_PRIORITY = { spot: 200, mixed: 100, onDemand: 0, other: 0 } as const;

export interface AsgOptions {
  /** Cluster Autoscaler's `max-node-provision-time`: how long spot may fail before the on-demand twin is tried. @default '5m' */
  readonly maxNodeProvisionTime?: string;
  /** Heartbeat timeout of every group's termination lifecycle hook, in seconds (30–7200). @default 120 */
  readonly terminationHookHeartbeatSeconds?: number;
  /** Match it to the cluster's Kubernetes minor version, e.g. `v1.33.0`. @default - the chart's appVersion */
  readonly autoscalerImageTag?: string;
}

export interface AsgCapacityProps extends OceanEngineProps {
  readonly options?: AsgOptions;
}

export class AsgCapacity extends Construct implements OceanEngine {
  readonly onDemandNodeSelector = ON_DEMAND_NODE_SELECTOR;
  readonly interruptionDrainer: InterruptionDrainer = 'node-manager';
  readonly autoscaler: ClusterAutoscaler;
  /** Every group rendered, by name. */
  readonly groups = new Map<string, SpotNodeGroup>();
  private readonly props: AsgCapacityProps;
  private headroom?: HeadroomPlaceholders;

  constructor(scope: Construct, id: string, props: AsgCapacityProps) {
    super(scope, id);
    const { defaults, cluster, options = {} } = props;
    if (defaults.limits.maxVcpu !== undefined || defaults.limits.maxMemoryGiB !== undefined) {
      unsupported('asg', 'defaults.limits', 'Auto Scaling groups are bounded by instance counts, not by total vCPU or memory', "remove defaults.limits and bound each launch spec's maxSize");
    }
    if (defaults.nodeRole.instanceProfileArn !== cluster.nodeRole.instanceProfileArn) {
      unsupported('asg', 'defaults.nodeRole', "SpotNodeGroup launches with the cluster's node instance profile", "remove defaults.nodeRole and name an instance profile per launch spec (instanceProfile), or use the karpenter or spotinst engine");
    }
    if (defaults.disruption !== undefined) {
      unsupported('asg', 'defaults.disruption', 'Cluster Autoscaler keeps no disruption budgets, expiry or grace period per group', 'remove defaults.disruption, or use the karpenter engine');
    }
    this.props = props;
    new ClusterAutoscalerRole(this, 'autoscaler-role', { cluster });
    this.autoscaler = new ClusterAutoscaler(props.kubernetesScope, 'cluster-autoscaler', {
      clusterName: cluster.clusterName,
      region: props.region,
      imageTag: options.autoscalerImageTag,
      maxNodeProvisionTime: options.maxNodeProvisionTime,
      // Groups not rendered here (the system group, your own) rank last.
      expanderPriorities: { [EXPANDER_PRIORITY.other]: ['.*'] },
    });
    if (defaults.headroom) this.placeholders().add({ name: 'cluster', headroom: defaults.headroom });
  }

  addLaunchSpec(spec: ResolvedLaunchSpec): void {
    const path = `launchSpecs['${spec.name}']`;
    if (spec.startupTaints.length > 0) {
      unsupported('asg', `${path}.startupTaints`, 'nothing removes a startup taint from an Auto Scaling group node', 'register them as taints and tolerate them, or use the karpenter or spotinst engine');
    }
    // Only what the spec set itself: limits always resolve to a value. The weight ranks the groups here.
    checkAsgSupport({ ...spec, weight: undefined, limits: spec.overrides.has('limits') ? spec.limits : undefined }, path, (field) => fieldOrigin(spec, field));
    const { cluster, options = {} } = this.props;
    for (const variant of capacityVariants(spec)) {
      if (variant.name.length > 40) {
        unsupported('asg', fieldOrigin(spec, 'name'), `'${variant.name}' (the on-demand group's name) is longer than 40 characters`, `shorten the name to at most ${40 - (variant.name.length - spec.name.length)} characters`);
      }
      const group = new SpotNodeGroup(this, variant.name, {
        cluster,
        imdsHopLimit: spec.metadataHopLimit,
        path: `launchSpecs['${spec.name}']`,
        // The twin starts empty; the spec's minimum stays on its spot group.
        spec: { ...spec, name: variant.name, capacity: variant.capacity, headroom: undefined, weight: undefined, limits: undefined, ...(variant.onDemandTwin ? { minSize: 0 } : {}) },
        terminationLifecycleHook: true,
        terminationHookHeartbeatSeconds: options.terminationHookHeartbeatSeconds,
      });
      this.groups.set(variant.name, group);
      this.autoscaler.addExpanderPriority(priorityOf(variant.lifecycle) + spec.weight, `^${group.groupName}$`);
    }
    if (spec.headroom) this.placeholders().add({ name: spec.name, headroom: spec.headroom, nodeSelector: spec.labels, taints: spec.taints });
  }

  private placeholders(): HeadroomPlaceholders {
    this.headroom ??= new HeadroomPlaceholders(this.props.kubernetesScope, 'headroom');
    return this.headroom;
  }
}

function priorityOf(lifecycle: Lifecycle | undefined): number {
  if (lifecycle === 'spot') return EXPANDER_PRIORITY.spot;
  return lifecycle === 'on-demand' ? EXPANDER_PRIORITY.onDemand : EXPANDER_PRIORITY.mixed;
}
