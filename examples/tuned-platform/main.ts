/**
 * The default platform with its knobs turned: every section below tunes one part and can be
 * copied on its own. Config (engine, region, …) still comes from cdktf.json "context" and
 * SPOT_EKS_* variables; what is typed here is what a config file cannot say well.
 *
 *   npx cdktf synth
 */
import { App } from 'cdktf';
import { loadPlatformConfig, Platform, PLATFORM_DEFAULTS, PlatformConfigError, type PlatformCapacityOptions, type PlatformConfigInput, type PlatformNodeManagerOptions } from 'spot-ready-eks';

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
      consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '5m', expireAfter: '336h', terminationGracePeriod: '1h',
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
      name: 'data', labels: { workload: 'data' }, taints: [{ key: 'workload', value: 'data', effect: 'NoSchedule' }],
      instanceSelection: { requirements: { vcpu: { min: 8, max: 32 }, categories: ['r'] } },
      extraBlockDevices: [{ deviceName: '/dev/xvdc', sizeGiB: 500, iops: 6000, throughput: 500 }],
      limits: { maxVcpu: 128 },
    },
    {
      name: 'gpu', labels: { processor: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
      instanceSelection: { requirements: { gpus: { min: 1, max: 4 }, includeFamilies: ['g5', 'g6'] } },
      headroom: { cpuPerUnit: 3000, memoryPerUnit: 12288, gpuPerUnit: 1, numOfUnits: 1 },
    },
  ],
  karpenter: { spotToSpotConsolidation: true },
  asg: { maxNodeProvisionTime: '4m', terminationHookHeartbeatSeconds: 180 },
  systemNodes: { nodeGroup: 'managed' },
};

/**
 * Config set in code: node-manager's knobs and the cluster's (access, add-ons, network rules,
 * Fargate, tags). A cdktf.json "context" key or SPOT_EKS_* variable of the same name wins.
 * On karpenter, Karpenter drains on an interruption: node-manager cordons and taints only.
 */
const tuning: PlatformConfigInput = {
  actOn: ['spot-interruption', 'asg-termination', 'instance-state-change', 'scheduled-maintenance'],
  nodeManagerCordonOnly: true, nodeManagerTaintEffect: 'NoSchedule', nodeManagerEmitEvents: true,
  nodeManagerPodGracePeriodSeconds: 60, nodeManagerNodeGracePeriodSeconds: 600,
  // A Secret (key `url`) in the node-manager namespace holds the operator webhook URL: never a literal.
  nodeManagerWebhookSecretName: 'node-manager-webhook',
  // Developers may edit the apps and batch namespaces, nothing cluster-wide.
  accessEntries: { developers: { principalArn: 'arn:aws:iam::123456789012:role/Developers', policies: [{ policy: 'AmazonEKSEditPolicy', namespaces: ['apps', 'batch'] }] } },
  addonConfiguration: {
    coredns: { configurationValues: { replicaCount: 3 } },
    'vpc-cni': { podIdentity: { serviceAccount: 'aws-node', managedPolicies: ['AmazonEKS_CNI_Policy'] } },
  },
  clusterSecurityGroupRules: { vpn: { description: 'kubectl from the office VPN', direction: 'ingress', protocol: 'tcp', fromPort: 443, cidrIpv4: '10.200.0.0/16' } },
  fargateProfiles: { batch: { selectors: [{ namespace: 'batch', labels: { compute: 'fargate' } }] } },
  tags: { team: 'platform', 'cost-center': 'cc-1234' },
};

/** node-manager's pod: typed Kubernetes objects a config file cannot say well. */
const nodeManager: PlatformNodeManagerOptions = {
  tolerations: [{ operator: 'Exists' }], priorityClassName: 'system-node-critical',
  resources: { requests: { cpu: '20m', memory: '80Mi' }, limits: { cpu: '200m', memory: '160Mi' } },
  extraContainers: [{ name: 'log-shipper', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4' }],
};

export function build(app: App): Platform {
  const config = loadPlatformConfig((key) => app.node.tryGetContext(key) ?? tuning[key as keyof PlatformConfigInput]);
  return new Platform(app, config, { capacity, nodeManager });
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
