import { asgTerminationMonitor } from './asg-termination';
import { rebalanceMonitor } from './rebalance';
import { scheduledMaintenanceMonitor } from './scheduled-maintenance';
import { spotInterruptionMonitor } from './spot-interruption';
import type { SignalMonitor } from './types';

export { SignalParseError, type SignalContext, type SignalMonitor } from './types';

/** Every IMDS signal the daemon watches, fresh state each call. */
export function createSignalMonitors(): SignalMonitor[] {
  return [spotInterruptionMonitor(), rebalanceMonitor(), scheduledMaintenanceMonitor(), asgTerminationMonitor()];
}
