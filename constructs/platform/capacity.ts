import { Construct } from 'constructs';
import { IEksCluster } from '../cluster/cluster-reference';
import { LaunchSpec } from '../capacity/launch-spec';
import { Ocean } from '../capacity/ocean';
import { SpotNodeGroup } from '../capacity/engines/asg/spot-node-group';
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
 * and the Ocean controller need a node to start on).
 */
export const SYSTEM_NODES: LaunchSpec = {
  name: 'system',
  labels: { 'node-role': 'system' },
  capacity: { type: 'on-demand' },
  instanceSelection: { instanceTypes: ['m7i.large', 'm6i.large', 'm5.large'] },
  minSize: 2,
  maxSize: 3,
};

/** The platform's worker capacity, rendered by the configured engine, plus the system nodes. */
export function platformCapacity(clusterStack: Construct, workloadsStack: Construct, cluster: IEksCluster, config: PlatformConfig): Ocean {
  new SpotNodeGroup(clusterStack, 'system-nodes', { cluster, spec: SYSTEM_NODES, terminationLifecycleHook: true });
  return new Ocean(clusterStack, 'capacity', {
    cluster,
    region: config.region,
    engine: config.capacityEngine,
    workloadsScope: workloadsStack,
    defaults: PLATFORM_DEFAULTS,
    launchSpecs: (config.launchSpecs as unknown as LaunchSpec[] | undefined) ?? PLATFORM_LAUNCH_SPECS,
    spotinst: config.spotinstAccount ? { account: config.spotinstAccount } : undefined,
  });
}
