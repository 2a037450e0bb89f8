/**
 * What the `Ocean` needs from a capacity engine, and the one error every engine throws for a field
 * it cannot express (so the message always names the field, the engine and the fix).
 */
import type { Construct } from 'constructs';
import type { IEksCluster } from '../cluster/cluster-reference';
import type { LaunchSpec } from './launch-spec';
import type { ResolvedDefaults, ResolvedLaunchSpec } from './ocean-defaults';

export const OCEAN_ENGINES = ['karpenter', 'spotinst', 'asg'] as const;
export type OceanEngineName = (typeof OCEAN_ENGINES)[number];

/**
 * Which component drains a node on an interruption notice: the engine's own controller
 * (Karpenter's interruption queue, the Ocean controller) or node-manager. Only one may evict.
 */
export type InterruptionDrainer = 'karpenter' | 'ocean' | 'node-manager';

/** One engine rendering the defaults and launch specs. */
export interface OceanEngine {
  /** The node selector a pod uses to ask for on-demand capacity, in this engine's terms. */
  readonly onDemandNodeSelector: Readonly<Record<string, string>>;
  /** Who drains on an interruption notice. @default 'node-manager' */
  readonly interruptionDrainer?: InterruptionDrainer;
  /** Renders one resolved launch spec; throws for a field the engine cannot express. */
  addLaunchSpec(spec: ResolvedLaunchSpec): void;
}

/** What every engine is built from. */
export interface OceanEngineProps {
  readonly cluster: IEksCluster;
  readonly region: string;
  readonly defaults: ResolvedDefaults;
  /** Where Kubernetes manifests and Helm releases go (the workloads stack, or beside the AWS side). */
  readonly kubernetesScope: Construct;
}

/** Throws the synth-time error for a field an engine cannot express. */
export function unsupported(engine: OceanEngineName, field: string, why: string, fix: string): never {
  throw new Error(`${field}: not supported by the '${engine}' engine — ${why}. Fix: ${fix}.`);
}

/**
 * The AMI fields an engine that boots one image id with our user data cannot express (asg,
 * spotinst): `amiTags`, a tag query only Karpenter resolves, and kubelet settings on a custom AMI,
 * whose user data is rendered as given. `origin` names where a field was set.
 */
export function checkOneImageSupport(engine: OceanEngineName, spec: Pick<LaunchSpec, 'amiFamily' | 'kubelet'>, origin: (field: keyof LaunchSpec) => string): void {
  const family = spec.amiFamily;
  if (family !== undefined && family.kind !== 'custom' && family.amiTags !== undefined) {
    unsupported(engine, `${origin('amiFamily')}.amiTags`, 'nodes boot one AMI id, not a tag query', "give the AMI id with { kind: 'custom', amiId }, or pin an EKS-optimized release with version");
  }
  if (family?.kind === 'custom' && spec.kubelet !== undefined) {
    unsupported(engine, origin('kubelet'), "a custom AMI's user data is rendered as given, so kubelet settings cannot be added to it", 'put the kubelet settings in amiFamily.userData, or use al2023 / bottlerocket');
  }
}
