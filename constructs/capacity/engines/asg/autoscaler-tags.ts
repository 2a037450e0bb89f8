/**
 * ASG tags that Cluster Autoscaler reads: auto-discovery, and the node template (labels, taints)
 * so it can scale a group up from zero without a node to look at.
 */
import type { Taint } from '../../launch-spec';

const PREFIX = 'k8s.io/cluster-autoscaler';
/** AWS limits: 128-character tag keys, 50 tags per group. */
const MAX_TAG_KEY = 128;
export const MAX_ASG_TAGS = 50;

/** The tag (value `owned`) that marks a group as this cluster's; the autoscaler IAM policy is scoped by it. */
export function autoscalerOwnerTagKey(clusterName: string): string {
  return `${PREFIX}/${clusterName}`;
}

/** Startup taints are left out: they are gone by the time pods schedule. */
export function clusterAutoscalerTags(
  clusterName: string,
  labels: Record<string, string>,
  taints: readonly Taint[],
  path: string,
): Record<string, string> {
  const tags: Record<string, string> = {
    [`${PREFIX}/enabled`]: 'true',
    [autoscalerOwnerTagKey(clusterName)]: 'owned',
  };
  for (const [key, value] of Object.entries(labels)) {
    tags[templateKey('label', key, `${path}.labels["${key}"]`)] = value;
  }
  for (const [i, taint] of taints.entries()) {
    const key = templateKey('taint', taint.key, `${path}.taints[${i}].key`);
    if (key in tags) {
      throw new Error(`${path}.taints[${i}]: Cluster Autoscaler's node template holds one taint per key ('${taint.key}'). Fix: use one effect per taint key.`);
    }
    tags[key] = `${taint.value ?? ''}:${taint.effect}`;
  }
  return tags;
}

function templateKey(kind: 'label' | 'taint', key: string, field: string): string {
  const prefix = `${PREFIX}/node-template/${kind}/`;
  if (prefix.length + key.length > MAX_TAG_KEY) {
    throw new Error(
      `${field}: '${key}' makes the Cluster Autoscaler tag key '${prefix}${key}' longer than AWS's ${MAX_TAG_KEY} characters. Fix: shorten the ${kind} key to at most ${MAX_TAG_KEY - prefix.length} characters.`,
    );
  }
  return prefix + key;
}
