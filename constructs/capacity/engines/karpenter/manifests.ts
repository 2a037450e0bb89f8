/**
 * A resolved launch spec as Karpenter's two objects: an `EC2NodeClass` (how a node boots: AMI,
 * role, subnets, security groups, IMDS, disks, tags) and a `NodePool` (which nodes may launch:
 * requirements, labels, taints, limits, disruption). Pure functions returning plain typed objects
 * (the CRD types of @kubernetes-models/karpenter), so tests validate them against Karpenter's schemas.
 */
import { Token } from 'cdktf';
import type { IEC2NodeClass } from '@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass';
import type { INodePool } from '@kubernetes-models/karpenter/karpenter.sh/v1/NodePool';
import { DEFAULT_AMI_VERSIONS, type BlockDevice, type ReservedResources, type Taint } from '../../launch-spec';
import { capacityVariants, type CapacityVariant } from '../../lifecycle';
import type { ResolvedLaunchSpec } from '../../ocean-defaults';
import { nodeLabels } from '../../user-data';
import { mimeMultipart } from '../../user-data/mime';
import { nodePoolRequirements } from './requirements';

export type { IEC2NodeClass, INodePool };
type NodeClassSpec = NonNullable<IEC2NodeClass['spec']>;

/** The tag that lets Karpenter discover subnets/security groups when their ids are a token list. */
export const DISCOVERY_TAG = 'karpenter.sh/discovery';

export interface NodePoolOptions {
  /** How long a node must be empty or underused before Karpenter consolidates it, unless the spec says. @default '1m' */
  readonly consolidateAfter?: string;
}

/** Every spot NodePool ranks above every on-demand one: spot at 50 + weight, on-demand at weight. */
export const SPOT_WEIGHT_OFFSET = 50;

const kubeTaint = (t: Taint) => ({ key: t.key, effect: t.effect, ...(t.value ? { value: t.value } : {}) });

/**
 * The NodePools of a spec: one per capacity variant (a spot pool and its on-demand twin for
 * `spot-with-fallback`), each labelled `node-lifecycle` with what it launches. A pod that asks for
 * nothing fits both and gets the heavier spot pool; Karpenter falls back to the on-demand twin
 * when no spot offering can launch. `node-lifecycle: on-demand` fits only the twin.
 */
export function nodePoolManifests(spec: ResolvedLaunchSpec, options: NodePoolOptions = {}): INodePool[] {
  return capacityVariants(spec).map((variant) => nodePoolManifest(spec, variant, options));
}

export function nodePoolManifest(spec: ResolvedLaunchSpec, variant: CapacityVariant, options: NodePoolOptions = {}): INodePool {
  const limits: Record<string, string> = {};
  if (spec.limits.maxVcpu !== undefined) limits.cpu = String(spec.limits.maxVcpu);
  if (spec.limits.maxMemoryGiB !== undefined) limits.memory = `${spec.limits.maxMemoryGiB}Gi`;
  const d = spec.disruption ?? {};
  const onlyOnDemand = variant.lifecycle === 'on-demand';
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: variant.name },
    spec: {
      weight: onlyOnDemand ? spec.weight : SPOT_WEIGHT_OFFSET + spec.weight,
      template: {
        metadata: { labels: nodeLabels(spec, variant.lifecycle) },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: spec.name },
          requirements: nodePoolRequirements({ ...spec, capacity: variant.capacity }),
          ...(spec.taints.length > 0 ? { taints: spec.taints.map(kubeTaint) } : {}),
          ...(spec.startupTaints.length > 0 ? { startupTaints: spec.startupTaints.map(kubeTaint) } : {}),
          ...(d.expireAfter !== undefined ? { expireAfter: d.expireAfter } : {}),
          ...(d.terminationGracePeriod !== undefined ? { terminationGracePeriod: d.terminationGracePeriod } : {}),
        },
      },
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      disruption: {
        consolidationPolicy: d.consolidationPolicy ?? 'WhenEmptyOrUnderutilized',
        consolidateAfter: d.consolidateAfter ?? options.consolidateAfter ?? '1m',
        ...(d.budgets !== undefined ? { budgets: d.budgets.map((b) => ({ ...b, ...(b.reasons ? { reasons: [...b.reasons] } : {}) })) } : {}),
      },
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
  // Your own AMIs of the family: Karpenter still renders that family's bootstrap.
  if (family.amiTags) return { amiFamily: family.kind === 'al2023' ? 'AL2023' : 'Bottlerocket', amiSelectorTerms: [{ tags: { ...family.amiTags } }] };
  // The alias picks the EKS-optimized AMI (and its NVIDIA/arm64 variant) per instance type, at a pinned release.
  return { amiSelectorTerms: [{ alias: `${family.kind}@${family.version ?? DEFAULT_AMI_VERSIONS[family.kind]}` }] };
}

/** Root volume(s), then the extra volumes: Bottlerocket keeps the OS on xvda and containers on xvdb, which gets the size. */
function blockDevices(spec: ResolvedLaunchSpec): NonNullable<NodeClassSpec['blockDeviceMappings']> {
  const ebs = (sizeGiB: number, kmsKeyId: string | undefined) => ({
    volumeSize: `${sizeGiB}Gi`,
    volumeType: 'gp3' as const,
    encrypted: true,
    deleteOnTermination: true,
    ...(kmsKeyId ? { kmsKeyID: kmsKeyId } : {}),
  });
  const extra = spec.extraBlockDevices.map((d: BlockDevice) => ({
    deviceName: d.deviceName,
    ebs: {
      ...ebs(d.sizeGiB, d.kmsKeyId),
      volumeType: d.volumeType ?? 'gp3',
      ...(d.iops !== undefined ? { iops: d.iops } : {}),
      ...(d.throughput !== undefined ? { throughput: d.throughput } : {}),
    },
  }));
  const kms = spec.rootVolume.kmsKeyId;
  if (spec.amiFamily.kind === 'bottlerocket') {
    return [{ deviceName: '/dev/xvda', ebs: ebs(4, kms) }, { deviceName: '/dev/xvdb', rootVolume: true, ebs: ebs(spec.rootVolume.sizeGiB, kms) }, ...extra];
  }
  return [{ deviceName: '/dev/xvda', rootVolume: true, ebs: ebs(spec.rootVolume.sizeGiB, kms) }, ...extra];
}

/** Reserved resources in kubelet's keys (`ephemeral-storage`). */
function reserved(r: ReservedResources | undefined): Record<string, string> | undefined {
  if (r === undefined) return undefined;
  const out: Record<string, string> = {};
  if (r.cpu !== undefined) out.cpu = r.cpu;
  if (r.memory !== undefined) out.memory = r.memory;
  if (r.ephemeralStorage !== undefined) out['ephemeral-storage'] = r.ephemeralStorage;
  return out;
}

function kubelet(spec: ResolvedLaunchSpec): Pick<NodeClassSpec, 'kubelet'> {
  const k = spec.kubelet;
  if (k === undefined) return {};
  const out = {
    ...(k.maxPods !== undefined ? { maxPods: k.maxPods } : {}),
    ...(k.kubeReserved ? { kubeReserved: reserved(k.kubeReserved) } : {}),
    ...(k.systemReserved ? { systemReserved: reserved(k.systemReserved) } : {}),
  };
  return Object.keys(out).length > 0 ? { kubelet: out } : {};
}

export function ec2NodeClassManifest(spec: ResolvedLaunchSpec, options: NodeClassOptions): IEC2NodeClass {
  const data = userData(spec);
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: spec.name },
    spec: {
      ...amiSelection(spec),
      // An existing instance profile replaces the role (Karpenter then makes no profile of its own).
      ...(spec.instanceProfile !== undefined ? { instanceProfile: spec.instanceProfile } : { role: spec.nodeRole.roleName }),
      ...kubelet(spec),
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
