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
import { defaultLifecycle, type LaunchSpec, type Lifecycle } from '../../launch-spec';
import { nodeLabels, renderUserData } from '../../user-data';
import { validateLaunchSpec } from '../../validate-launch-spec';
import { clusterAutoscalerTags, MAX_ASG_TAGS } from './autoscaler-tags';
import { instancesDistribution, launchTemplateOverrides, type OnDemandAllocationStrategy } from './instance-selection';

export interface SpotNodeGroupProps {
  readonly cluster: IEksCluster;
  readonly spec: LaunchSpec;
  /** The lifecycle label value the nodes carry. @default - 'on-demand' for on-demand capacity, else 'spot' */
  readonly lifecycle?: Lifecycle;
  /**
   * IMDSv2 hop limit. 1 keeps pods without host networking away from the node's credentials;
   * raise it only for pods that must read IMDS themselves. @default 1
   */
  readonly imdsHopLimit?: number;
  /** How the on-demand share is filled; 'prioritized' follows the order of `instanceTypes`. @default 'lowest-price' */
  readonly onDemandAllocationStrategy?: OnDemandAllocationStrategy;
  /**
   * Add an EC2_INSTANCE_TERMINATING lifecycle hook (heartbeat 120 s, then CONTINUE) so a drain has
   * time to finish before a scale-in terminates the instance. @default false
   */
  readonly terminationLifecycleHook?: boolean;
  /** Where the spec sits in your config, used in error messages. @default 'spec' */
  readonly path?: string;
}

export class SpotNodeGroup extends Construct {
  readonly autoScalingGroupName: string;
  readonly autoScalingGroupArn: string;
  readonly launchTemplateId: string;
  readonly lifecycle: Lifecycle;
  /** The labels every node of the group registers with, the lifecycle label included. */
  readonly labels: Record<string, string>;
  /** The lifecycle hook's name, when `terminationLifecycleHook` is set. */
  readonly terminationHookName?: string;

  constructor(scope: Construct, id: string, props: SpotNodeGroupProps) {
    super(scope, id);
    const { cluster, spec } = props;
    const path = props.path ?? 'spec';
    validateLaunchSpec(spec, path);
    const hopLimit = props.imdsHopLimit ?? 1;
    if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) {
      throw new Error(`imdsHopLimit: ${hopLimit} is out of range. Fix: use an integer from 1 to 64 (1 unless pods must reach IMDS).`);
    }
    const onDemandStrategy = props.onDemandAllocationStrategy ?? 'lowest-price';
    if (onDemandStrategy === 'prioritized' && spec.instanceSelection?.instanceTypes === undefined) {
      throw new Error(`onDemandAllocationStrategy: 'prioritized' needs ${path}.instanceSelection.instanceTypes (an order). Fix: use 'lowest-price' with requirements.`);
    }

    this.lifecycle = props.lifecycle ?? defaultLifecycle(spec);
    this.labels = nodeLabels(spec, this.lifecycle);
    const name = `${cluster.clusterName}-${spec.name}`;
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
      iamInstanceProfile: { arn: cluster.nodeRole.instanceProfileArn },
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
        name: 'drain-before-terminate',
        autoscalingGroupName: group.name,
        lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        heartbeatTimeout: 120,
        defaultResult: 'CONTINUE',
      });
      this.terminationHookName = hook.name;
    }
  }
}

/**
 * Encrypted gp3 volumes. AL2023 has one root volume (/dev/xvda); Bottlerocket keeps its OS on
 * /dev/xvda and images and pods on /dev/xvdb, which gets the spec's size.
 */
function blockDevices(spec: LaunchSpec): LaunchTemplateBlockDeviceMappings[] {
  const volume = (deviceName: string, volumeSize: number): LaunchTemplateBlockDeviceMappings => ({
    deviceName,
    ebs: { volumeSize, volumeType: 'gp3', encrypted: 'true', kmsKeyId: spec.rootVolume?.kmsKeyId, deleteOnTermination: 'true' },
  });
  const size = spec.rootVolume?.sizeGiB ?? 50;
  return spec.amiFamily?.kind === 'bottlerocket' ? [volume('/dev/xvda', 4), volume('/dev/xvdb', size)] : [volume('/dev/xvda', size)];
}
