/**
 * The default platform with its knobs turned: every section below tunes one part and can be
 * copied on its own. Config (engine, region, …) still comes from cdktf.json "context" and
 * SPOT_EKS_* variables; what is typed here is what a config file cannot say well.
 *
 *   npx cdktf synth
 */
import { App } from 'cdktf';
import { loadPlatformConfig, Platform, PLATFORM_DEFAULTS, PlatformConfigError, type PlatformCapacityOptions, type PlatformOptions } from 'spot-ready-eks';

/**
 * Capacity: the defaults every launch spec inherits, the launch specs, the engines' options. Made
 * for the karpenter engine; the asg engine would refuse `disruption` and `limits` by name, the
 * spotinst engine `weight`, per-spec `limits` and every `disruption` field but terminationGracePeriod.
 */
const capacity: PlatformCapacityOptions = {
  defaults: {
    ...PLATFORM_DEFAULTS,
    // Pinned AMI release; roll by raising it (Karpenter replaces nodes within the budgets below).
    amiFamily: { kind: 'al2023', version: 'v20260224' },
    kubelet: { maxPods: 58, kubeReserved: { cpu: '100m', memory: '512Mi' } },
    disruption: {
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      consolidateAfter: '5m',
      expireAfter: '336h',
      terminationGracePeriod: '1h',
      // At most 10% of nodes at a time, and no voluntary disruption on weekday office hours.
      budgets: [{ nodes: '10%' }, { nodes: '0', schedule: '0 8 * * 1-5', duration: '10h', reasons: ['Drifted', 'Underutilized'] }],
    },
    // Two spare 1-vCPU/2-GiB slots so an interrupted node's pods land at once.
    headroom: { cpuPerUnit: 1000, memoryPerUnit: 2048, numOfUnits: 2 },
    limits: { maxVcpu: 400, maxMemoryGiB: 1600 },
  },
  launchSpecs: [
    { name: 'general', labels: { processor: 'cpu' }, weight: 20 },
    {
      name: 'data',
      labels: { workload: 'data' },
      taints: [{ key: 'workload', value: 'data', effect: 'NoSchedule' }],
      instanceSelection: { requirements: { vcpu: { min: 8, max: 32 }, categories: ['r'] } },
      extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 500, iops: 6000, throughput: 500 }],
      limits: { maxVcpu: 128 },
    },
    {
      name: 'gpu',
      labels: { processor: 'gpu' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      instanceSelection: { requirements: { gpus: { min: 1, max: 4 }, includeFamilies: ['g5', 'g6'] } },
      headroom: { cpuPerUnit: 3000, memoryPerUnit: 12288, gpuPerUnit: 1, numOfUnits: 1 },
    },
  ],
  karpenter: { spotToSpotConsolidation: true },
  asg: { maxNodeProvisionTime: '4m', terminationHookHeartbeatSeconds: 180 },
  systemNodes: { nodeGroup: 'managed' },
};

export function build(app: App): Platform {
  const options: PlatformOptions = { capacity };
  return new Platform(app, loadPlatformConfig((key) => app.node.tryGetContext(key)), options);
}

if (require.main === module) {
  const app = new App();
  try {
    build(app);
  } catch (error) {
    if (!(error instanceof PlatformConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  app.synth();
}
