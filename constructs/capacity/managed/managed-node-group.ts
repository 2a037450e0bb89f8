/**
 * A launch spec as an EKS managed node group (`aws_eks_node_group`): EKS picks the AMI of the
 * family, bootstraps the nodes and drains them on scale-in and updates. Meant for the small,
 * static system group; the capacity engines render the worker launch specs.
 *
 * A launch template (no AMI, no user data: EKS merges its own) keeps IMDSv2 with the spec's hop
 * limit and the encrypted gp3 volumes. What a managed node group cannot take fails at synth.
 */
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { IEksCluster } from '../../cluster/cluster-reference';
import { type LaunchSpec } from '../launch-spec';
import { lifecycleOf } from '../lifecycle';
import { nodeLabels } from '../user-data';
import { validateLaunchSpec } from '../validate-launch-spec';

export interface ManagedNodeGroupProps {
  readonly cluster: IEksCluster;
  /** Explicit instance types, capacity 'spot' or 'on-demand', labels, taints, sizes. */
  readonly spec: LaunchSpec;
  /** IMDSv2 hop limit (1 keeps pods off the node's credentials). @default 1 */
  readonly imdsHopLimit?: number;
  /** Where the spec sits in your config, used in error messages. @default 'spec' */
  readonly path?: string;
}

const EFFECT = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

/** The managed node group AMI type of a family, architecture and GPU need. */
export function managedAmiType(spec: LaunchSpec): string {
  const arm = spec.architecture === 'arm64';
  const nvidia = (spec.instanceSelection?.requirements?.gpus?.min ?? 0) > 0;
  if (spec.amiFamily?.kind === 'bottlerocket') return `BOTTLEROCKET_${arm ? 'ARM_64' : 'x86_64'}${nvidia ? '_NVIDIA' : ''}`;
  return `AL2023_${arm ? 'ARM_64' : 'x86_64'}_${nvidia ? 'NVIDIA' : 'STANDARD'}`;
}

export class ManagedNodeGroup extends Construct {
  readonly nodeGroupName: string;
  /** The labels every node registers with, the lifecycle label included. */
  readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: ManagedNodeGroupProps) {
    super(scope, id);
    const { cluster, spec } = props;
    const path = props.path ?? 'spec';
    validateLaunchSpec(spec, path);
    checkManagedSupport(spec, path);
    const lifecycle = lifecycleOf(spec.capacity ?? { type: 'spot' })!;
    this.labels = nodeLabels(spec, lifecycle);
    const name = `${cluster.clusterName}-${spec.name}`;
    const hopLimit = props.imdsHopLimit ?? 1;
    const size = spec.rootVolume?.sizeGiB ?? 50;
    const volume = (deviceName: string, volumeSize: number, kmsKeyId?: string) => ({
      deviceName,
      ebs: { volumeSize, volumeType: 'gp3', encrypted: 'true', kmsKeyId, deleteOnTermination: 'true' },
    });
    const template = new LaunchTemplate(this, 'launch-template', {
      name: `${name}-managed`,
      description: `EKS managed nodes of ${name}`,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit, instanceMetadataTags: 'disabled' },
      blockDeviceMappings: [
        ...(spec.amiFamily?.kind === 'bottlerocket'
          ? [volume('/dev/xvda', 4, spec.rootVolume?.kmsKeyId), volume('/dev/xvdb', size, spec.rootVolume?.kmsKeyId)]
          : [volume('/dev/xvda', size, spec.rootVolume?.kmsKeyId)]),
        ...(spec.extraBlockDevices ?? []).map((d) => ({
          deviceName: d.deviceName,
          ebs: { volumeSize: d.sizeGiB, volumeType: d.volumeType ?? 'gp3', iops: d.iops, throughput: d.throughput, encrypted: 'true', kmsKeyId: d.kmsKeyId, deleteOnTermination: 'true' },
        })),
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { ...spec.tags, Name: name } },
        { resourceType: 'volume', tags: { ...spec.tags, Name: name } },
      ],
      updateDefaultVersion: true,
      tags: spec.tags,
    });
    const minSize = spec.minSize ?? 0;
    const group = new EksNodeGroup(this, 'group', {
      clusterName: cluster.clusterName,
      nodeGroupName: name,
      nodeRoleArn: cluster.nodeRole.roleArn,
      subnetIds: spec.subnetIds ?? cluster.privateSubnetIds,
      amiType: managedAmiType(spec),
      capacityType: lifecycle === 'spot' ? 'SPOT' : 'ON_DEMAND',
      instanceTypes: spec.instanceSelection!.instanceTypes,
      scalingConfig: { minSize, maxSize: spec.maxSize ?? 10, desiredSize: Math.max(minSize, 1) },
      labels: this.labels,
      taint: (spec.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: EFFECT[t.effect] })),
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      updateConfig: { maxUnavailable: 1 },
      tags: spec.tags,
      // Scaling belongs to whoever scales the group once it exists.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
    this.nodeGroupName = group.nodeGroupName;
  }
}

/** What a managed node group cannot take. */
function checkManagedSupport(spec: LaunchSpec, path: string): void {
  const fail = (field: string, why: string, fix: string): never => {
    throw new Error(`${path}.${field}: not supported by a managed node group — ${why}. Fix: ${fix}.`);
  };
  if (spec.instanceSelection?.instanceTypes === undefined) fail('instanceSelection', 'a managed node group takes a list of instance types, not attribute requirements', "list instanceTypes, e.g. ['m7i.large', 'm6i.large']");
  if (spec.capacity?.type === 'spot-with-fallback') fail('capacity', 'a managed node group is all spot or all on-demand', "use { type: 'on-demand' } or { type: 'spot' }");
  if (spec.instanceProfile !== undefined) fail('instanceProfile', 'EKS creates the instance profile of a managed node group from its node role (a launch template may not set one)', "remove instanceProfile (nodes use the cluster's node role), or use the asg system group");
  if (spec.headroom !== undefined) fail('headroom', 'the system group renders no placeholder pods', 'put headroom on a worker launch spec or on the defaults');
  if (spec.amiFamily?.kind === 'custom') fail('amiFamily', 'this construct lets EKS pick and bootstrap the AMI', "use 'al2023' or 'bottlerocket'");
  if (spec.amiFamily !== undefined && spec.amiFamily.kind !== 'custom' && (spec.amiFamily.version !== undefined || spec.amiFamily.amiTags !== undefined)) {
    fail('amiFamily', 'EKS picks the AMI release of a managed node group when it is created and on each update', 'remove version/amiTags (update the group to roll the AMI)');
  }
  if (spec.amiFamily?.kind === 'al2023' && spec.amiFamily.extraUserDataParts !== undefined) fail('amiFamily.extraUserDataParts', 'EKS renders the user data', 'remove the extra parts, or use the asg system group');
  if (spec.amiFamily?.kind === 'bottlerocket' && spec.amiFamily.extraSettingsToml !== undefined) fail('amiFamily.extraSettingsToml', 'EKS renders the user data', 'remove the extra settings, or use the asg system group');
  if (spec.kubelet !== undefined) fail('kubelet', 'EKS renders the bootstrap of a managed node group', 'remove kubelet, or use the asg system group');
  if (spec.startupTaints !== undefined && spec.startupTaints.length > 0) fail('startupTaints', 'nothing would remove them', 'register them as taints');
  for (const field of ['disruption', 'weight', 'limits', 'securityGroupIds'] as const) {
    if (spec[field] !== undefined) fail(field, field === 'securityGroupIds' ? 'EKS applies the cluster security group to managed nodes' : 'it is a karpenter setting', `remove ${field}`);
  }
}
