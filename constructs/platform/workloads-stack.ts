import { Construct } from 'constructs';
import { Fn, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth';
import { IEksCluster } from '../cluster/cluster-reference';
import { PlatformConfig } from './config';
import { configureBackend } from './backend';
import { awsProvider } from './aws-provider';
import { ITerminationHandler, NodeManager, type NodeManagerProps } from '../interruption/node-manager';
import type { InterruptionDrainer } from '../capacity/ocean-engine';
import { nodeManagerDrain } from './node-manager-drain';

/** What the workloads stack takes from the cluster stack. */
export interface WorkloadsStackDeps {
  readonly cluster: IEksCluster;
  readonly terminationHandler: ITerminationHandler;
  /** The node-manager image reference. */
  readonly nodeManagerImage: string;
}

/**
 * node-manager's pod knobs that the config file cannot say well (typed Kubernetes objects), set in
 * code through `PlatformOptions.nodeManager`; each is documented on {@link NodeManagerProps}.
 */
export type PlatformNodeManagerOptions = Pick<NodeManagerProps, 'tolerations' | 'resources' | 'priorityClassName' | 'extraContainers'>;

/**
 * The Kubernetes side. Its kubernetes and helm providers are configured from the cluster stack's
 * endpoint and CA (cdktf cross-stack references → remote state) with a short-lived token from
 * `aws_eks_cluster_auth`, so it can only be planned once the cluster exists (and, with Karpenter,
 * once the `crds` stack has installed the CRDs its NodePools need):
 * `cdktf deploy cluster crds workloads` applies them in that order.
 */
export class WorkloadsStack extends TerraformStack {
  private manager?: NodeManager;

  constructor(scope: Construct, id: string, private readonly config: PlatformConfig, private readonly deps: WorkloadsStackDeps) {
    super(scope, id);
    const { cluster } = deps;
    configureBackend(this, id, config);
    awsProvider(this, config.region, config.clusterName, config.tags);
    connectToCluster(this, cluster);
    this.node.addValidation({
      validate: () => (this.manager ? [] : [`${this.node.path}: no node-manager. Fix: call addNodeManager(ocean.interruptionDrainer) once the capacity exists (Platform does).`]),
    });
  }

  /** The node-manager DaemonSet, once {@link WorkloadsStack.addNodeManager} ran. */
  get nodeManager(): NodeManager {
    if (!this.manager) throw new Error(`${this.node.path}: no node-manager yet. Fix: call addNodeManager(ocean.interruptionDrainer) first.`);
    return this.manager;
  }

  /**
   * Runs node-manager, draining only when `drainer` (the capacity's `interruptionDrainer`) says
   * node-manager owns the drain; under Karpenter it cordons and reports only (see node-manager-drain.ts).
   */
  addNodeManager(drainer: InterruptionDrainer, pod: PlatformNodeManagerOptions = {}): NodeManager {
    if (this.manager) throw new Error(`${this.node.path}: addNodeManager was already called. Fix: call it once.`);
    const { config, deps } = this;
    const { cluster } = deps;
    this.manager = new NodeManager(this, 'node-manager', {
      cluster,
      handler: deps.terminationHandler,
      image: deps.nodeManagerImage,
      region: config.region,
      actOn: config.actOn,
      ...nodeManagerDrain(drainer, config),
      labelLifecycle: config.nodeManagerLabelLifecycle,
      taintEffect: config.nodeManagerTaintEffect,
      podTerminationGracePeriodSeconds: config.nodeManagerPodGracePeriodSeconds,
      nodeTerminationGracePeriodSeconds: config.nodeManagerNodeGracePeriodSeconds,
      pollIntervalMs: config.nodeManagerPollIntervalMs,
      redeliveryPauseMs: config.nodeManagerRedeliveryPauseMs,
      redeliveryMaxPauseMs: config.nodeManagerRedeliveryMaxPauseMs,
      emitKubernetesEvents: config.nodeManagerEmitEvents,
      metricsPort: config.nodeManagerMetricsPort,
      webhook: config.nodeManagerWebhookSecretName ? { secretName: config.nodeManagerWebhookSecretName } : undefined,
      tolerations: pod.tolerations,
      resources: pod.resources,
      priorityClassName: pod.priorityClassName,
      extraContainers: pod.extraContainers,
    });
    return this.manager;
  }
}

/**
 * The kubernetes and helm providers of a stack that runs on the cluster: endpoint and CA from the
 * cluster (cross-stack references → remote state), a short-lived token from `aws_eks_cluster_auth`.
 */
export function connectToCluster(stack: TerraformStack, cluster: IEksCluster): void {
  const auth = new DataAwsEksClusterAuth(stack, 'cluster-auth', { name: cluster.clusterName });
  const connection = {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthorityData),
    token: auth.token,
  };
  new KubernetesProvider(stack, 'kubernetes', connection);
  new HelmProvider(stack, 'helm', { kubernetes: connection });
}
