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
    this.workloadsStack = new WorkloadsStack(app, 'workloads', config, this.clusterStack.cluster);
  }
}
