import { Construct } from 'constructs';
import { PlatformConfig } from './config';
import { ClusterStack } from './cluster-stack';
import { WorkloadsStack } from './workloads-stack';
import { platformCapacity } from './capacity';
import { Ocean } from '../capacity/ocean';

/** The default platform: the `cluster` stack and the `workloads` stack that runs on it. */
export class Platform {
  readonly clusterStack: ClusterStack;
  readonly workloadsStack: WorkloadsStack;
  /** Worker capacity: defaults + launch specs, rendered by `config.capacityEngine`. */
  readonly capacity: Ocean;

  constructor(app: Construct, config: PlatformConfig) {
    this.clusterStack = new ClusterStack(app, 'cluster', config);
    const { cluster, terminationHandler, nodeManagerRepository } = this.clusterStack;
    this.workloadsStack = new WorkloadsStack(app, 'workloads', config, {
      cluster,
      terminationHandler,
      nodeManagerImage: config.nodeManagerImage ?? `${nodeManagerRepository.repositoryUrl}:${config.nodeManagerImageTag}`,
    });
    this.capacity = platformCapacity(this.clusterStack, this.workloadsStack, cluster, config);
  }
}
