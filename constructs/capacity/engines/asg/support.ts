/**
 * What an Auto Scaling group of nodes cannot express, checked before rendering so the error names
 * the field and the engine instead of the setting being silently dropped.
 */
import type { LaunchSpec } from '../../launch-spec';
import { unsupported } from '../../ocean-engine';

/** `path` is where the spec sits (e.g. `launchSpecs['gpu']`); `defaultsPath` names inherited fields. */
export function checkAsgSupport(spec: LaunchSpec, path: string, origin: (field: keyof LaunchSpec) => string = (f) => `${path}.${f}`): void {
  if (spec.disruption !== undefined) {
    unsupported('asg', origin('disruption'), 'Cluster Autoscaler scales groups down by its own flags and keeps no disruption budgets, expiry or grace period per group', 'remove disruption, or use the karpenter engine');
  }
  if (spec.weight !== undefined) {
    unsupported('asg', origin('weight'), 'a lone group has no rank; the Ocean asg engine turns weight into priority-expander tiers', 'remove weight, or add the spec to an Ocean with engine asg');
  }
  if (spec.limits !== undefined) {
    unsupported('asg', origin('limits'), 'Auto Scaling groups are bounded by instance counts, not by total vCPU or memory', 'remove limits and bound the group with maxSize');
  }
  const family = spec.amiFamily;
  if (family !== undefined && family.kind !== 'custom' && family.amiTags !== undefined) {
    unsupported('asg', `${origin('amiFamily')}.amiTags`, 'a launch template boots one AMI id, not a tag query', "give the AMI id with { kind: 'custom', amiId }, or pin an EKS-optimized release with version");
  }
  if (family?.kind === 'custom' && spec.kubelet !== undefined) {
    unsupported('asg', origin('kubelet'), "a custom AMI's user data is rendered as given, so kubelet settings cannot be added to it", 'put the kubelet settings in amiFamily.userData, or use al2023 / bottlerocket');
  }
}
