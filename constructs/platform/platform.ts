import { Construct } from 'constructs';
import { PlatformConfig } from './config';
import { ClusterStack } from './cluster-stack';
import { WorkloadsStack, type PlatformNodeManagerOptions } from './workloads-stack';
import { CrdsStack } from './crds-stack';
import { platformCapacity, type PlatformCapacityOptions } from './capacity';
import { Ocean } from '../capacity/ocean';

export interface PlatformOptions {
  /**
   * Prefix of the stack ids, for several platforms in one app: `<prefix>-cluster`,
   * `<prefix>-crds` and `<prefix>-workloads`. Physical names come from `config.clusterName`, so give each platform its own.
   * @default - the stacks are `cluster` and `workloads`
   */
  readonly stackIdPrefix?: string;
  /** Capacity tuned in code: defaults, launch specs, engine options, system nodes. @default - see {@link PlatformCapacityOptions} */
  readonly capacity?: PlatformCapacityOptions;
  /** node-manager's pod in code: tolerations, resources, priority class, extra containers. @default - see {@link PlatformNodeManagerOptions} */
  readonly nodeManager?: PlatformNodeManagerOptions;
}

/**
 * The default platform: the `cluster` stack, with the `karpenter` engine the `crds` stack, and the
 * `workloads` stack that runs on the cluster. Deploy them in that order (README "Deploy").
 */
export class Platform {
  readonly clusterStack: ClusterStack;
  readonly workloadsStack: WorkloadsStack;
  /** With the `karpenter` engine: Karpenter's CRDs, applied before `workloads` is planned. */
  readonly crdsStack?: CrdsStack;
  /** Worker capacity: defaults + launch specs, rendered by `config.capacityEngine`. */
  readonly capacity: Ocean;

  constructor(app: Construct, config: PlatformConfig, options: PlatformOptions = {}) {
    const stackId = (name: string) => (options.stackIdPrefix ? `${options.stackIdPrefix}-${name}` : name);
    this.clusterStack = new ClusterStack(app, stackId('cluster'), config);
    const { cluster, terminationHandler, nodeManagerRepository } = this.clusterStack;
    if (config.capacityEngine === 'karpenter') this.crdsStack = new CrdsStack(app, stackId('crds'), config, cluster);
    this.workloadsStack = new WorkloadsStack(app, stackId('workloads'), config, {
      cluster,
      terminationHandler,
      nodeManagerImage: config.nodeManagerImage ?? `${nodeManagerRepository.repositoryUrl}:${config.nodeManagerImageTag}`,
    });
    if (this.crdsStack) this.workloadsStack.addDependency(this.crdsStack);
    this.capacity = platformCapacity(this.clusterStack, this.workloadsStack, cluster, config, options.capacity);
    // Whoever the capacity engine makes the drainer drains; node-manager cordons and reports otherwise.
    this.workloadsStack.addNodeManager(this.capacity.interruptionDrainer, options.nodeManager);
  }
}
