import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { PlatformConfig } from './config';
import { configureBackend } from './backend';
import { checkExistingSubnets } from './existing-subnets';
import { awsProvider } from './aws-provider';
import { INetwork, Network } from '../network/network';
import { EksCluster } from '../cluster/eks-cluster';
import { ClusterKey } from '../cluster/cluster-key';
import { MonitoringOptions, TerminationHandler } from '../interruption/termination-handler';
import { NodeManagerImageBuild } from '../interruption/node-manager-image-build';
import { NodeManagerRepository } from '../interruption/node-manager-repository';
import { InterruptionOperations } from '../interruption/operations';

/** The AWS side: network, EKS control plane, IAM, node capacity, the termination pipeline. */
export class ClusterStack extends TerraformStack {
  readonly network: INetwork;
  readonly cluster: EksCluster;
  readonly terminationHandler: TerminationHandler;
  readonly nodeManagerRepository: NodeManagerRepository;

  constructor(scope: Construct, id: string, readonly config: PlatformConfig) {
    super(scope, id);
    configureBackend(this, id, config);
    awsProvider(this, config.region, config.clusterName, config.tags);
    // One rotating key for secrets and every log group of this stack (flow, control plane, Lambda, drill) and the image repository.
    const key = new ClusterKey(this, 'key', { clusterName: config.clusterName });
    if (config.existingVpcId) checkExistingSubnets(this, config.existingVpcId, config.existingPrivateSubnetIds ?? []);
    this.network = config.existingVpcId
      ? Network.fromIds(config.existingVpcId, config.existingPrivateSubnetIds ?? [])
      : new Network(this, 'network', {
          clusterName: config.clusterName,
          cidr: config.vpcCidr,
          azCount: config.azCount,
          flowLogRetentionDays: config.logRetentionDays,
          logKmsKeyArn: key.arn,
        });
    this.cluster = new EksCluster(this, 'eks', {
      key,
      clusterName: config.clusterName,
      kubernetesVersion: config.kubernetesVersion,
      upgradePolicy: config.upgradePolicy,
      network: this.network,
      publicAccessCidrs: config.publicAccessCidrs,
      adminPrincipalArn: config.adminPrincipalArn,
      accessEntries: config.accessEntries,
      addonConfiguration: config.addonConfiguration,
      clusterSecurityGroupRules: config.clusterSecurityGroupRules,
      fargateProfiles: config.fargateProfiles,
      nodeSsmAccess: config.nodeSsmAccess,
      logRetentionDays: config.logRetentionDays,
    });
    this.terminationHandler = new TerminationHandler(this, 'termination', {
      cluster: this.cluster,
      monitoring: monitoringOptions(config),
      eventActOn: config.actOn,
      monitoringSecretKmsKeyArn: config.monitoringSecretKmsKeyArn,
      notificationEmails: config.notificationEmails,
      logRetentionDays: config.logRetentionDays,
      logKmsKeyArn: this.cluster.key.arn,
    });
    this.nodeManagerRepository = new NodeManagerRepository(this, 'node-manager-image', { namePrefix: config.clusterName, kmsKeyArn: key.arn });
    if (!config.nodeManagerImage && config.nodeManagerImageBuild) {
      new NodeManagerImageBuild(this, 'node-manager-image-build', { repositoryUrl: this.nodeManagerRepository.repositoryUrl, tag: config.nodeManagerImageTag, region: config.region });
    }
    new InterruptionOperations(this, 'operations', { handler: this.terminationHandler, cluster: this.cluster, alarms: { emails: config.notificationEmails }, drill: { logRetentionDays: config.logRetentionDays, logKmsKeyArn: this.cluster.key.arn } });
  }
}

function monitoringOptions(c: PlatformConfig): MonitoringOptions {
  switch (c.monitoringProvider) {
    case 'none':
      return { provider: 'none' };
    case 'webhook':
      return { provider: 'webhook', secretArn: c.monitoringSecretArn!, url: c.monitoringWebhookUrl! };
    case 'datadog':
      return { provider: 'datadog', secretArn: c.monitoringSecretArn!, apiUrl: `https://${c.datadogSite}` };
    case 'mackerel':
      return { provider: 'mackerel', secretArn: c.monitoringSecretArn!, action: c.mackerelAction };
  }
}
