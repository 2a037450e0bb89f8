/**
 * The `asg` engine for the Ocean: one SpotNodeGroup per launch spec, plus an on-demand group
 * (`<name>-od`, labelled `node-lifecycle: on-demand`) when the spec's capacity mixes in on-demand,
 * and Cluster Autoscaler (role in the Ocean's scope, Helm release in the kubernetes scope).
 *
 * A pod asks for a launch spec with `nodeSelector` on the spec's labels, and for on-demand with
 * `nodeSelector: { node-lifecycle: on-demand }`.
 */
import { Construct } from 'constructs';
import { ClusterAutoscaler, ClusterAutoscalerRole } from './engines/asg/cluster-autoscaler';
import { SpotNodeGroup } from './engines/asg/spot-node-group';
import { LIFECYCLE_LABEL } from './launch-spec';
import { fieldOrigin, type ResolvedLaunchSpec } from './ocean-defaults';
import { unsupported, type OceanEngine, type OceanEngineProps } from './ocean-engine';

const ON_DEMAND_SUFFIX = '-od';

export class AsgCapacity extends Construct implements OceanEngine {
  readonly onDemandNodeSelector = { [LIFECYCLE_LABEL]: 'on-demand' } as const;
  readonly autoscaler: ClusterAutoscaler;
  private readonly props: OceanEngineProps;

  constructor(scope: Construct, id: string, props: OceanEngineProps) {
    super(scope, id);
    const { defaults, cluster } = props;
    if (defaults.limits.maxVcpu !== undefined || defaults.limits.maxMemoryGiB !== undefined) {
      unsupported('asg', 'defaults.limits', 'Auto Scaling groups are bounded by instance counts, not by total vCPU or memory', "remove defaults.limits and bound each launch spec's maxSize");
    }
    if (defaults.nodeRole.instanceProfileArn !== cluster.nodeRole.instanceProfileArn) {
      unsupported('asg', 'defaults.nodeRole', "SpotNodeGroup launches with the cluster's node instance profile", 'remove defaults.nodeRole, or use the karpenter or spotinst engine');
    }
    this.props = props;
    new ClusterAutoscalerRole(this, 'autoscaler-role', { cluster });
    this.autoscaler = new ClusterAutoscaler(props.kubernetesScope, 'cluster-autoscaler', { clusterName: cluster.clusterName, region: props.region });
  }

  addLaunchSpec(spec: ResolvedLaunchSpec): void {
    if (spec.startupTaints.length > 0) {
      unsupported('asg', `launchSpecs['${spec.name}'].startupTaints`, 'nothing removes a startup taint from an Auto Scaling group node', 'register them as taints and tolerate them, or use the karpenter or spotinst engine');
    }
    const { cluster } = this.props;
    const common = { cluster, imdsHopLimit: spec.metadataHopLimit, path: `launchSpecs['${spec.name}']` };
    new SpotNodeGroup(this, spec.name, { ...common, spec });
    if (spec.capacity.type !== 'spot-with-fallback') return;
    // The main group labels every node `spot`; pods that must run on on-demand get their own group.
    const name = `${spec.name}${ON_DEMAND_SUFFIX}`;
    if (name.length > 40) {
      unsupported('asg', `${fieldOrigin(spec, 'name')}`, `'${name}' (the on-demand group's name) is longer than 40 characters`, `shorten the name to at most ${40 - ON_DEMAND_SUFFIX.length} characters`);
    }
    new SpotNodeGroup(this, name, { ...common, spec: { ...spec, name, capacity: { type: 'on-demand' }, minSize: 0 }, lifecycle: 'on-demand' });
  }
}
