import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { IEksCluster } from '../cluster/cluster-reference';
import { KARPENTER_VERSION } from '../capacity/engines/karpenter/version';
import { PlatformConfig } from './config';
import { configureBackend } from './backend';
import { awsProvider } from './aws-provider';
import { connectToCluster } from './workloads-stack';

/**
 * Karpenter's CustomResourceDefinitions, in a phase of their own: the `workloads` stack declares
 * NodePools and EC2NodeClasses as `kubernetes_manifest`, which needs their CRDs when it is PLANNED,
 * so they must be installed by an earlier apply. `cdktf deploy cluster crds workloads` applies this
 * stack before it plans `workloads`. The Karpenter release in `workloads` then finds the CRDs and
 * leaves them to this release (Helm never overwrites existing CRDs from a chart's `crds/`), which
 * also upgrades them with the chart version.
 */
export class CrdsStack extends TerraformStack {
  readonly karpenterCrds: Release;

  constructor(scope: Construct, id: string, config: PlatformConfig, cluster: IEksCluster) {
    super(scope, id);
    configureBackend(this, id, config);
    awsProvider(this, config.region, config.clusterName);
    connectToCluster(this, cluster);
    this.karpenterCrds = new Release(this, 'karpenter-crd', {
      name: 'karpenter-crd',
      namespace: 'kube-system',
      repository: 'oci://public.ecr.aws/karpenter',
      chart: 'karpenter-crd',
      version: KARPENTER_VERSION,
      wait: true,
    });
  }
}
