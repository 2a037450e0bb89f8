/**
 * A group of EKS nodes from one launch spec: a launch template and an Auto Scaling group with a
 * mixed instances policy (spot, on-demand or both), tagged for Cluster Autoscaler discovery.
 */
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { LaunchTemplate, type LaunchTemplateBlockDeviceMappings } from '@cdktf/provider-aws/lib/launch-template';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { IEksCluster } from '../../../cluster/cluster-reference';
import { eksOptimizedAmiId } from '../../ami';
import type { LaunchSpec, Lifecycle } from '../../launch-spec';
import { lifecycleOf } from '../../lifecycle';
import { nodeLabels, renderUserData } from '../../user-data';
import { validateLaunchSpec } from '../../validate-launch-spec';
import { clusterAutoscalerTags, MAX_ASG_TAGS } from './autoscaler-tags';
import { instancesDistribution, launchTemplateOverrides, type OnDemandAllocationStrategy } from './instance-selection';
import { checkAsgSupport } from './support';

/** The name of every group's termination lifecycle hook; the termination handler completes its actions. */
export const TERMINATION_HOOK_NAME = 'drain-before-terminate';

export interface SpotNodeGroupProps {
  readonly cluster: IEksCluster;
  readonly spec: LaunchSpec;
  /**
   * The lifecycle label value the nodes carry; it must be what the capacity launches.
   * @default - 'spot' or 'on-demand' when the group launches only that, none for a mixed group
   * (node-manager labels each node from IMDS)
   */
  readonly lifecycle?: Lifecycle;
  /**
   * IMDSv2 hop limit. 1 keeps pods without host networking away from the node's credentials;
   * raise it only for pods that must read IMDS themselves. @default 1
   */
  readonly imdsHopLimit?: number;
  /** How the on-demand share is filled; 'prioritized' follows the order of `instanceTypes`. @default 'lowest-price' */
  readonly onDemandAllocationStrategy?: OnDemandAllocationStrategy;
  /**
   * Add an EC2_INSTANCE_TERMINATING lifecycle hook named `drain-before-terminate`, so a scale-in
   * or a capacity-rebalance replacement waits while the node is taken out of service. The
   * termination handler completes the action (`CompleteLifecycleAction`, CONTINUE) once the node
   * is drained; without it the instance is terminated when the heartbeat times out. A spot
   * interruption itself is not delayed: EC2 reclaims the instance after its two minutes. @default false
   */
  readonly terminationLifecycleHook?: boolean;
  /** Seconds the hook holds the instance without a heartbeat, 30–7200. @default 120 */
  readonly terminationHookHeartbeatSeconds?: number;
  /** Where the spec sits in your config, used in error messages. @default 'spec' */
  readonly path?: string;
}

export class SpotNodeGroup extends Construct {
  /** The group's name as a Terraform reference. */
  readonly autoScalingGroupName: string;
  /** The group's name as rendered (`<cluster>-<spec>`): no reference, for Kubernetes-side config. */
  readonly groupName: string;
  readonly autoScalingGroupArn: string;
  readonly launchTemplateId: string;
  /** What every node of the group is, or `undefined` for a mixed group. */
  readonly lifecycle?: Lifecycle;
  /** The labels every node of the group registers with, the lifecycle label included when known. */
  readonly labels: Record<string, string>;
  /** The lifecycle hook's name, when `terminationLifecycleHook` is set. */
  readonly terminationHookName?: string;

  constructor(scope: Construct, id: string, props: SpotNodeGroupProps) {
    super(scope, id);
    const { cluster, spec } = props;
    const path = props.path ?? 'spec';
    validateLaunchSpec(spec, path);
    checkAsgSupport(spec, path);
    if (spec.headroom !== undefined) {
      throw new Error(`${path}.headroom: a SpotNodeGroup alone renders no placeholder pods. Fix: add the spec to an Ocean with engine 'asg' (it renders headroom), or remove headroom.`);
    }
    const hopLimit = props.imdsHopLimit ?? 1;
    if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) {
      throw new Error(`imdsHopLimit: ${hopLimit} is out of range. Fix: use an integer from 1 to 64 (1 unless pods must reach IMDS).`);
    }
    const onDemandStrategy = props.onDemandAllocationStrategy ?? 'lowest-price';
    if (onDemandStrategy === 'prioritized' && spec.instanceSelection?.instanceTypes === undefined) {
      throw new Error(`onDemandAllocationStrategy: 'prioritized' needs ${path}.instanceSelection.instanceTypes (an order). Fix: use 'lowest-price' with requirements.`);
    }

    const launched = lifecycleOf(spec.capacity ?? { type: 'spot' });
    if (props.lifecycle !== undefined && props.lifecycle !== launched) {
      throw new Error(
        `lifecycle: '${props.lifecycle}' would label nodes that the capacity '${spec.capacity?.type ?? 'spot'}' launches as ${launched ?? 'spot or on-demand'}. Fix: omit lifecycle (it follows ${path}.capacity).`,
      );
    }
    this.lifecycle = launched;
    const heartbeat = props.terminationHookHeartbeatSeconds ?? 120;
    if (!Number.isInteger(heartbeat) || heartbeat < 30 || heartbeat > 7200) {
      throw new Error(`terminationHookHeartbeatSeconds: ${heartbeat} is out of range. Fix: use an integer from 30 to 7200 (AWS's bounds).`);
    }
    this.labels = nodeLabels(spec, this.lifecycle);
    const name = `${cluster.clusterName}-${spec.name}`;
    this.groupName = name;
    if (!Token.isUnresolved(name) && name.length > 128) {
      throw new Error(`${path}.name: '${name}' (cluster name + spec name) exceeds the 128 characters of a launch template name. Fix: shorten the spec name.`);
    }
    const asgTags = {
      ...spec.tags,
      [cluster.clusterTagKey]: 'owned',
      ...clusterAutoscalerTags(cluster.clusterName, this.labels, spec.taints ?? [], path),
    };
    if (Object.keys(asgTags).length > MAX_ASG_TAGS) {
      throw new Error(`${path}: the group needs ${Object.keys(asgTags).length} tags (labels, taints, tags), AWS allows ${MAX_ASG_TAGS}. Fix: use fewer labels, taints or tags.`);
    }
    const instanceTags = { ...spec.tags, Name: name, [cluster.clusterTagKey]: 'owned' };

    const launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name,
      description: `EKS nodes of ${name}`,
      imageId: eksOptimizedAmiId(this, 'ami', spec, cluster.kubernetesVersion),
      userData: renderUserData(spec, cluster, this.lifecycle),
      iamInstanceProfile: spec.instanceProfile !== undefined ? { name: spec.instanceProfile } : { arn: cluster.nodeRole.instanceProfileArn },
      vpcSecurityGroupIds: spec.securityGroupIds ?? [cluster.clusterSecurityGroupId],
      // IMDSv2 only; tags stay out of IMDS so they cannot leak to whoever reads it.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: blockDevices(spec),
      tagSpecifications: [
        { resourceType: 'instance', tags: instanceTags },
        { resourceType: 'volume', tags: instanceTags },
      ],
      updateDefaultVersion: true,
      tags: spec.tags,
    });

    const minSize = spec.minSize ?? 0;
    const group = new AutoscalingGroup(this, 'group', {
      name,
      minSize,
      maxSize: spec.maxSize ?? 10,
      desiredCapacity: minSize,
      vpcZoneIdentifier: spec.subnetIds ?? cluster.privateSubnetIds,
      capacityRebalance: true,
      mixedInstancesPolicy: {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
          override: launchTemplateOverrides(spec, path),
        },
        instancesDistribution: instancesDistribution(spec, onDemandStrategy),
      },
      // Group tags describe the group for Cluster Autoscaler; the launch template tags instances.
      tag: Object.entries(asgTags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
      // Cluster Autoscaler owns the desired size once the group exists.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });
    this.autoScalingGroupName = group.name;
    this.autoScalingGroupArn = group.arn;
    this.launchTemplateId = launchTemplate.id;

    if (props.terminationLifecycleHook) {
      const hook = new AutoscalingLifecycleHook(this, 'termination-hook', {
        name: TERMINATION_HOOK_NAME,
        autoscalingGroupName: group.name,
        lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        heartbeatTimeout: heartbeat,
        defaultResult: 'CONTINUE',
      });
      this.terminationHookName = hook.name;
    }
  }
}

/**
 * Encrypted gp3 volumes. AL2023 has one root volume (/dev/xvda); Bottlerocket keeps its OS on
 * /dev/xvda and images and pods on /dev/xvdb, which gets the spec's size. Extra volumes follow.
 */
function blockDevices(spec: LaunchSpec): LaunchTemplateBlockDeviceMappings[] {
  const volume = (deviceName: string, volumeSize: number): LaunchTemplateBlockDeviceMappings => ({
    deviceName,
    ebs: { volumeSize, volumeType: 'gp3', encrypted: 'true', kmsKeyId: spec.rootVolume?.kmsKeyId, deleteOnTermination: 'true' },
  });
  const size = spec.rootVolume?.sizeGiB ?? 50;
  const extra = (spec.extraBlockDevices ?? []).map((d) => ({
    deviceName: d.deviceName,
    ebs: { volumeSize: d.sizeGiB, volumeType: d.volumeType ?? 'gp3', iops: d.iops, throughput: d.throughput, encrypted: 'true', kmsKeyId: d.kmsKeyId, deleteOnTermination: 'true' },
  }));
  return [...(spec.amiFamily?.kind === 'bottlerocket' ? [volume('/dev/xvda', 4), volume('/dev/xvdb', size)] : [volume('/dev/xvda', size)]), ...extra];
}
