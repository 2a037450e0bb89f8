/**
 * What node-manager itself changed on its node for a notice, kept on the Node as an annotation so
 * that a cancelled notice undoes exactly that — never a cordon, taint or label that an operator or
 * another controller set — even after the daemon restarted (a reboot for maintenance).
 */
import { APPLIED_ANNOTATION, EXCLUDE_FROM_LB_LABEL, INTERRUPTION_TAINT_KEY } from '../../../../contract/node-marks';
import type { SignalKind } from '../../../../contract/interruption-notice';

export interface AppliedMarks {
  readonly noticeKey: string;
  readonly signal: SignalKind;
  /** node-manager set `spec.unschedulable` (the node was schedulable before). */
  readonly cordoned: boolean;
  /** node-manager added the interruption taint. */
  readonly taint: boolean;
  /** node-manager added the exclude-from-load-balancers label. */
  readonly lbLabel: boolean;
}

type NodeLike = {
  metadata?: { annotations?: Record<string, string>; labels?: Record<string, string>; resourceVersion?: string };
  spec?: { unschedulable?: boolean; taints?: { key: string; effect: string; value?: string }[] };
};

/** The marks recorded on `node`, or undefined when there are none (or they are not ours to read). */
export function readApplied(node: NodeLike): AppliedMarks | undefined {
  const raw = node.metadata?.annotations?.[APPLIED_ANNOTATION];
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<AppliedMarks>;
    if (typeof v.noticeKey !== 'string' || typeof v.signal !== 'string') return undefined;
    return { noticeKey: v.noticeKey, signal: v.signal, cordoned: v.cordoned === true, taint: v.taint === true, lbLabel: v.lbLabel === true };
  } catch {
    return undefined;
  }
}

/**
 * The marks a cordon for `noticeKey` would record on `node` as it is now: what is already there
 * from an earlier notice of ours stays ours to undo.
 */
export function marksFor(node: NodeLike, noticeKey: string, signal: SignalKind): AppliedMarks {
  const earlier = readApplied(node);
  const hasTaint = (node.spec?.taints ?? []).some((t) => t.key === INTERRUPTION_TAINT_KEY);
  return {
    noticeKey,
    signal,
    cordoned: (earlier?.cordoned ?? false) || node.spec?.unschedulable !== true,
    taint: (earlier?.taint ?? false) || !hasTaint,
    lbLabel: (earlier?.lbLabel ?? false) || node.metadata?.labels?.[EXCLUDE_FROM_LB_LABEL] !== 'true',
  };
}

/**
 * The merge patch that removes what node-manager applied for a notice of `signal` (the last such
 * notice is recorded; a rescheduled event is a new key of the same signal), guarded by the node's
 * resourceVersion; undefined when the node carries no marks of that signal.
 */
export function undoPatch(node: NodeLike, signal: SignalKind): Record<string, unknown> | undefined {
  const marks = readApplied(node);
  if (!marks || marks.signal !== signal) return undefined;
  const taints = node.spec?.taints ?? [];
  return {
    metadata: {
      resourceVersion: node.metadata?.resourceVersion,
      annotations: { [APPLIED_ANNOTATION]: null },
      ...(marks.lbLabel ? { labels: { [EXCLUDE_FROM_LB_LABEL]: null } } : {}),
    },
    spec: {
      ...(marks.cordoned ? { unschedulable: null } : {}),
      ...(marks.taint ? { taints: taints.filter((t) => t.key !== INTERRUPTION_TAINT_KEY) } : {}),
    },
  };
}
