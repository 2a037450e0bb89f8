import { Construct } from 'constructs';
import { Fn, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { DataAwsEksClusterAuth } from '@cdktf/provider-aws/lib/data-aws-eks-cluster-auth';
import { IEksCluster } from '../cluster/cluster-reference';
import { PlatformConfig } from './config';
import { configureBackend } from './backend';
import { awsProvider } from './aws-provider';
import { ITerminationHandler, NodeManager } from '../interruption/node-manager';

/** What the workloads stack takes from the cluster stack. */
export interface WorkloadsStackDeps {
  readonly cluster: IEksCluster;
  readonly terminationHandler: ITerminationHandler;
  /** The node-manager image reference. */
  readonly nodeManagerImage: string;
}

/**
 * The Kubernetes side. Its kubernetes and helm providers are configured from the cluster stack's
 * endpoint and CA (cdktf cross-stack references → remote state) with a short-lived token from
 * `aws_eks_cluster_auth`, so it can only be planned once the cluster exists (and, with Karpenter,
 * once the `crds` stack has installed the CRDs its NodePools need): `cdktf deploy cluster crds
 * workloads` applies them in that order.
 */
export class WorkloadsStack extends TerraformStack {
  readonly nodeManager: NodeManager;

  constructor(scope: Construct, id: string, config: PlatformConfig, deps: WorkloadsStackDeps) {
    super(scope, id);
    const { cluster } = deps;
    configureBackend(this, id, config);
    awsProvider(this, config.region, config.clusterName, config.tags);
    connectToCluster(this, cluster);
    this.nodeManager = new NodeManager(this, 'node-manager', {
      cluster,
      handler: deps.terminationHandler,
      image: deps.nodeManagerImage,
      region: config.region,
      drain: config.nodeManagerDrain,
      cordonOnly: config.nodeManagerCordonOnly,
      labelLifecycle: config.nodeManagerLabelLifecycle,
      taintEffect: config.nodeManagerTaintEffect,
      podTerminationGracePeriodSeconds: config.nodeManagerPodGracePeriodSeconds,
      nodeTerminationGracePeriodSeconds: config.nodeManagerNodeGracePeriodSeconds,
      emitKubernetesEvents: config.nodeManagerEmitEvents,
      metricsPort: config.nodeManagerMetricsPort,
      webhook: config.nodeManagerWebhookSecretName ? { secretName: config.nodeManagerWebhookSecretName } : undefined,
    });
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
