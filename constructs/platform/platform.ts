import { Construct } from 'constructs';
import { PlatformConfig } from './config';
import { ClusterStack } from './cluster-stack';
import { WorkloadsStack } from './workloads-stack';

/** The default platform: the `cluster` stack and the `workloads` stack that runs on it. */
export class Platform {
  readonly clusterStack: ClusterStack;
  readonly workloadsStack: WorkloadsStack;

  constructor(app: Construct, config: PlatformConfig) {
    this.clusterStack = new ClusterStack(app, 'cluster', config);
    const { cluster, terminationHandler, nodeManagerRepository } = this.clusterStack;
    this.workloadsStack = new WorkloadsStack(app, 'workloads', config, {
      cluster,
      terminationHandler,
      nodeManagerImage: config.nodeManagerImage ?? `${nodeManagerRepository.repositoryUrl}:${config.nodeManagerImageTag}`,
    });
  }
}
