/**
 * Who drains a node on an interruption notice, as the capacity engine decided
 * (`Ocean.interruptionDrainer`): on karpenter, Karpenter's interruption queue gets the same notices
 * (spot warning, rebalance, state change, scheduled maintenance), launches the replacement first and
 * drains within PDBs; a second evictor would race it on the same budgets. So node-manager drains
 * only when it is the drainer; otherwise it cordons, taints (NoSchedule/PreferNoSchedule) and
 * reports, and never evicts.
 */
import type { InterruptionDrainer } from '../capacity/ocean-engine';
import type { PlatformConfig } from './config';

export interface NodeManagerDrain {
  readonly drain: boolean;
  readonly cordonOnly: boolean;
}

/** node-manager's drain settings under `drainer`; throws for a taint that would evict beside the drainer. */
export function nodeManagerDrain(
  drainer: InterruptionDrainer,
  config: Pick<PlatformConfig, 'capacityEngine' | 'nodeManagerDrain' | 'nodeManagerCordonOnly' | 'nodeManagerTaintEffect'>,
): NodeManagerDrain {
  if (drainer === 'node-manager') return { drain: config.nodeManagerDrain, cordonOnly: config.nodeManagerCordonOnly };
  if (config.nodeManagerDrain && config.nodeManagerTaintEffect === 'NoExecute') {
    throw new Error(
      `nodeManagerTaintEffect: 'NoExecute' evicts every pod at once, but with capacityEngine '${config.capacityEngine}' ${drainer} drains on an interruption (within PDBs). ` +
        `Fix: use 'NoSchedule' (the default) or 'PreferNoSchedule', or set nodeManagerDrain: false.`,
    );
  }
  return { drain: config.nodeManagerDrain, cordonOnly: config.nodeManagerDrain };
}
