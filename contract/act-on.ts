/**
 * The ONE act-on list: which signals take an instance out of service (the others are only
 * reported). node-manager's `ACT_ON` governs the daemon's own notices, the termination Lambda's
 * `ACT_ON` the notices EventBridge delivers; the platform passes the same list to both, so a signal
 * is acted on whoever delivers it. Import-free apart from the contract's signal kinds.
 */
import { SIGNAL_KINDS, type SignalKind } from './signal-kinds';

/** The values an act-on list may hold: every signal kind of the contract. */
export const ACT_ON_SIGNALS: readonly SignalKind[] = SIGNAL_KINDS;

/**
 * The default act-on list, for the daemon and the Lambda alike. `instance-state-change` only
 * EventBridge delivers: listing it for the daemon changes nothing there.
 */
export const DEFAULT_ACT_ON: readonly SignalKind[] = ['spot-interruption', 'asg-termination', 'instance-state-change'];

/** Why `list` is not a valid act-on list (naming what is accepted), or undefined when it is. */
export function actOnProblem(list: readonly string[]): string | undefined {
  const unknown = list.filter((s) => !(ACT_ON_SIGNALS as readonly string[]).includes(s));
  if (list.length === 0 || unknown.length) {
    const got = unknown.length ? ` (got ${unknown.map((s) => `'${s}'`).join(', ')})` : ' (got an empty list)';
    return `must list at least one of ${ACT_ON_SIGNALS.join(', ')}${got}`;
  }
  return undefined;
}
