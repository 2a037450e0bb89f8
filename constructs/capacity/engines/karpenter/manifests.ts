/**
 * A resolved launch spec as Karpenter's two objects: an `EC2NodeClass` (how a node boots: AMI,
 * role, subnets, security groups, IMDS, disks, tags) and a `NodePool` (which nodes may launch:
 * requirements, labels, taints, limits, disruption). Pure functions returning plain typed objects
 * (the CRD types of @kubernetes-models/karpenter), so tests validate them against Karpenter's schemas.
 */
import { Token } from 'cdktf';
import type { IEC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass';
import type { INodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import { defaultLifecycle, type Taint } from '../../launch-spec';
import type { OceanLimits, ResolvedLaunchSpec } from '../../ocean-defaults';
import { nodeLabels } from '../../user-data';
import { mimeMultipart } from '../../user-data/mime';
import { nodePoolRequirements } from './requirements';

export type { IEC2NodeClass, INodePool };
type NodeClassSpec = NonNullable<IEC2NodeClass['spec']>;

/** The tag that lets Karpenter discover subnets/security groups when their ids are a token list. */
export const DISCOVERY_TAG = 'karpenter.sh/discovery';

export interface NodePoolOptions {
  /** Cluster-wide limits, applied to each NodePool (Karpenter limits pools, not the cluster). */
  readonly limits: OceanLimits;
  /** How long a node must be empty or underused before Karpenter consolidates it. @default '1m' */
  readonly consolidateAfter?: string;
}

const kubeTaint = (t: Taint) => ({ key: t.key, effect: t.effect, ...(t.value ? { value: t.value } : {}) });

export function nodePoolManifest(spec: ResolvedLaunchSpec, options: NodePoolOptions): INodePool {
  const limits: Record<string, string> = {};
  if (options.limits.maxVcpu !== undefined) limits.cpu = String(options.limits.maxVcpu);
  if (options.limits.maxMemoryGiB !== undefined) limits.memory = `${options.limits.maxMemoryGiB}Gi`;
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: spec.name },
    spec: {
      template: {
        metadata: { labels: nodeLabels(spec, defaultLifecycle(spec)) },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: spec.name },
          requirements: nodePoolRequirements(spec),
          ...(spec.taints.length > 0 ? { taints: spec.taints.map(kubeTaint) } : {}),
          ...(spec.startupTaints.length > 0 ? { startupTaints: spec.startupTaints.map(kubeTaint) } : {}),
        },
      },
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: options.consolidateAfter ?? '1m' },
    },
  };
}

export interface NodeClassOptions {
  /** Used for the discovery-tag selector when ids are only known as a token list. */
  readonly clusterName: string;
}

/** Selector terms by id when the ids are known one by one, else by the discovery tag. */
function selectorTerms(ids: string[], clusterName: string): { id?: string; tags?: Record<string, string> }[] {
  return Token.isUnresolved(ids) ? [{ tags: { [DISCOVERY_TAG]: clusterName } }] : ids.map((id) => ({ id }));
}

/** Extra user data Karpenter merges with the bootstrap it renders (or the whole user data for a custom AMI). */
function userData(spec: ResolvedLaunchSpec): string | undefined {
  const family = spec.amiFamily;
  if (family.kind === 'al2023') return family.extraUserDataParts?.length ? mimeMultipart(family.extraUserDataParts) : undefined;
  if (family.kind === 'bottlerocket') return family.extraSettingsToml;
  return family.userData;
}

function amiSelection(spec: ResolvedLaunchSpec): Pick<NodeClassSpec, 'amiFamily' | 'amiSelectorTerms'> {
  const family = spec.amiFamily;
  if (family.kind === 'custom') return { amiFamily: 'Custom', amiSelectorTerms: [{ id: family.amiId }] };
  // The alias picks the EKS-optimized AMI (and its NVIDIA/arm64 variant) per instance type.
  return { amiSelectorTerms: [{ alias: `${family.kind}@latest` }] };
}

/** Root volume(s): Bottlerocket keeps the OS on xvda and containers on xvdb, which gets the size. */
function blockDevices(spec: ResolvedLaunchSpec): NonNullable<NodeClassSpec['blockDeviceMappings']> {
  const ebs = (sizeGiB: number) => ({
    volumeSize: `${sizeGiB}Gi`,
    volumeType: 'gp3' as const,
    encrypted: true,
    deleteOnTermination: true,
    ...(spec.rootVolume.kmsKeyId ? { kmsKeyID: spec.rootVolume.kmsKeyId } : {}),
  });
  if (spec.amiFamily.kind === 'bottlerocket') {
    return [
      { deviceName: '/dev/xvda', ebs: ebs(4) },
      { deviceName: '/dev/xvdb', rootVolume: true, ebs: ebs(spec.rootVolume.sizeGiB) },
    ];
  }
  return [{ deviceName: '/dev/xvda', rootVolume: true, ebs: ebs(spec.rootVolume.sizeGiB) }];
}

export function ec2NodeClassManifest(spec: ResolvedLaunchSpec, options: NodeClassOptions): IEC2NodeClass {
  const data = userData(spec);
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: spec.name },
    spec: {
      ...amiSelection(spec),
      role: spec.nodeRole.roleName,
      subnetSelectorTerms: selectorTerms(spec.subnetIds, options.clusterName),
      securityGroupSelectorTerms: selectorTerms(spec.securityGroupIds, options.clusterName),
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpProtocolIPv6: 'disabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: spec.metadataHopLimit,
      },
      blockDeviceMappings: blockDevices(spec),
      ...(Object.keys(spec.tags).length > 0 ? { tags: { ...spec.tags } } : {}),
      ...(data !== undefined ? { userData: data } : {}),
    },
  };
}
