import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { PlatformConfig } from './config';
import { configureBackend } from './backend';
import { awsProvider } from './aws-provider';
import { INetwork, Network } from '../network/network';
import { EksCluster } from '../cluster/eks-cluster';

/** The AWS side: network, EKS control plane, IAM, node capacity, the termination pipeline. */
export class ClusterStack extends TerraformStack {
  readonly network: INetwork;
  readonly cluster: EksCluster;

  constructor(scope: Construct, id: string, readonly config: PlatformConfig) {
    super(scope, id);
    configureBackend(this, id, config);
    awsProvider(this, config.region, config.clusterName);
    this.network = config.existingVpcId
      ? Network.fromIds(config.existingVpcId, config.existingPrivateSubnetIds ?? [])
      : new Network(this, 'network', { clusterName: config.clusterName, cidr: config.vpcCidr, azCount: config.azCount });
    this.cluster = new EksCluster(this, 'eks', {
      clusterName: config.clusterName,
      kubernetesVersion: config.kubernetesVersion,
      network: this.network,
      publicAccessCidrs: config.publicAccessCidrs,
      adminPrincipalArn: config.adminPrincipalArn,
      logRetentionDays: config.logRetentionDays,
    });
  }
}
