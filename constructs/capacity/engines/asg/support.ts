/**
 * What an Auto Scaling group of nodes cannot express, checked before rendering so the error names
 * the field and the engine instead of the setting being silently dropped.
 */
import type { LaunchSpec } from '../../launch-spec';
import { checkOneImageSupport, unsupported } from '../../ocean-engine';

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
  checkOneImageSupport('asg', spec, origin);
}
