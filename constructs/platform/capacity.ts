import { Construct } from 'constructs';
import { IEksCluster } from '../cluster/cluster-reference';
import { LaunchSpec, SYSTEM_TAINT } from '../capacity/launch-spec';
import { Ocean } from '../capacity/ocean';
import type { AsgOptions } from '../capacity/ocean-asg';
import type { KarpenterOptions } from '../capacity/engines/karpenter/karpenter-capacity';
import { SpotNodeGroup } from '../capacity/engines/asg/spot-node-group';
import { ManagedNodeGroup } from '../capacity/managed/managed-node-group';
import { OceanDefaults } from '../capacity/ocean-defaults';
import { PlatformConfig } from './config';

/** Cluster-wide: current-generation c/m/r with 2–16 vCPUs, spot first, on-demand when asked or when spot runs dry. */
export const PLATFORM_DEFAULTS: OceanDefaults = {
  instanceSelection: { requirements: { vcpu: { min: 2, max: 16 }, categories: ['c', 'm', 'r'], gpus: { max: 0 } } },
  spotPercentage: 100,
  fallbackToOnDemand: true,
};

/** The two launch specs of the original design: general CPU nodes, and GPU nodes on the NVIDIA AMI. */
export const PLATFORM_LAUNCH_SPECS: LaunchSpec[] = [
  { name: 'general', labels: { processor: 'cpu' } },
  {
    name: 'gpu',
    labels: { processor: 'gpu' },
    taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    // GPUs select the EKS-optimized NVIDIA AMI (SSM parameter / Karpenter alias): its own AMI.
    instanceSelection: { requirements: { gpus: { min: 1, max: 4 }, includeFamilies: ['g5', 'g6'] } },
  },
];

/**
 * A small on-demand group for what must run before any autoscaler can add nodes: CoreDNS and the
 * capacity controllers themselves (Karpenter must not run on nodes it manages; Cluster Autoscaler
 * and the Ocean controller need a node to start on). Tainted `CriticalAddonsOnly=true:NoSchedule`
 * so workloads cannot squat on it; CoreDNS (the EKS add-on tolerates `CriticalAddonsOnly` by
 * default), Karpenter, Cluster Autoscaler and the Ocean controller tolerate it, node-manager
 * tolerates every taint.
 */
export const SYSTEM_NODES: LaunchSpec = {
  name: 'system',
  labels: { 'node-role': 'system' },
  taints: [SYSTEM_TAINT],
  capacity: { type: 'on-demand' },
  instanceSelection: { instanceTypes: ['m7i.large', 'm6i.large', 'm5.large'] },
  minSize: 2,
  maxSize: 3,
};

/** How the platform runs its system nodes. */
export interface SystemNodesOptions {
  /** Taint them `CriticalAddonsOnly=true:NoSchedule` (false lets any pod run there). @default true */
  readonly taint?: boolean;
  /**
   * `asg`: a SpotNodeGroup (our launch template and user data, a termination lifecycle hook);
   * `managed`: an EKS managed node group (EKS picks the AMI and drains on updates). @default 'asg'
   */
  readonly nodeGroup?: 'asg' | 'managed';
}

/** The system launch spec with or without its taint. */
export function systemNodes(options: SystemNodesOptions = {}): LaunchSpec {
  return options.taint === false ? { ...SYSTEM_NODES, taints: [] } : SYSTEM_NODES;
}

/** The platform's system nodes, as an Auto Scaling group or a managed node group. */
export function platformSystemNodes(scope: Construct, cluster: IEksCluster, options: SystemNodesOptions = {}): SpotNodeGroup | ManagedNodeGroup {
  const spec = systemNodes(options);
  return options.nodeGroup === 'managed'
    ? new ManagedNodeGroup(scope, 'system-managed-nodes', { cluster, spec, path: 'systemNodes' })
    : new SpotNodeGroup(scope, 'system-nodes', { cluster, spec, terminationLifecycleHook: true, path: 'systemNodes' });
}

/** The platform's capacity, tuned in code (the config file picks the engine and the system-node basics). */
export interface PlatformCapacityOptions {
  /** What every launch spec inherits. @default PLATFORM_DEFAULTS */
  readonly defaults?: OceanDefaults;
  /** The worker launch specs. @default PLATFORM_LAUNCH_SPECS */
  readonly launchSpecs?: LaunchSpec[];
  /** Options of the karpenter engine. @default - see {@link KarpenterOptions} */
  readonly karpenter?: KarpenterOptions;
  /** Options of the asg engine. @default - see {@link AsgOptions} */
  readonly asg?: AsgOptions;
  /** The system nodes; each field set here wins over the config's. @default - config.systemNodesTaint, config.systemNodeGroup */
  readonly systemNodes?: SystemNodesOptions;
}

/** The platform's worker capacity, rendered by the configured engine, plus the system nodes. */
export function platformCapacity(clusterStack: Construct, workloadsStack: Construct, cluster: IEksCluster, config: PlatformConfig, options: PlatformCapacityOptions = {}): Ocean {
  platformSystemNodes(clusterStack, cluster, { taint: config.systemNodesTaint, nodeGroup: config.systemNodeGroup, ...options.systemNodes });
  return new Ocean(clusterStack, 'capacity', {
    cluster,
    region: config.region,
    engine: config.capacityEngine,
    workloadsScope: workloadsStack,
    defaults: options.defaults ?? PLATFORM_DEFAULTS,
    launchSpecs: options.launchSpecs ?? (config.launchSpecs as unknown as LaunchSpec[] | undefined) ?? PLATFORM_LAUNCH_SPECS,
    karpenter: options.karpenter,
    asg: options.asg,
    spotinst: config.spotinstAccount ? { account: config.spotinstAccount } : undefined,
  });
}
