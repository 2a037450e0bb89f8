/**
 * A small model of how each engine places a pending pod, read from synthesized output only: which
 * pools fit the pod (node selector against labels and requirements, taints against tolerations),
 * and which of those the engine tries first (Karpenter: highest NodePool weight; Cluster
 * Autoscaler: the priority expander's highest tier that lists a fitting group).
 */
import { parse } from 'yaml';

export interface Pod {
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string }[];
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** A pool of nodes as the scheduler sees it: fixed labels, labels a requirement lets take values, taints. */
export interface NodeTemplate {
  name: string;
  labels: Record<string, string>;
  /** Requirement `In` values, for labels Karpenter sets per node (capacity type, instance type…). */
  offered?: Record<string, string[]>;
  taints: Taint[];
}

function tolerates(pod: Pod, taint: Taint): boolean {
  if (taint.effect === 'PreferNoSchedule') return true;
  return (pod.tolerations ?? []).some(
    (t) =>
      (t.key === undefined || t.key === taint.key) &&
      (t.effect === undefined || t.effect === taint.effect) &&
      (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')),
  );
}

export function fits(pod: Pod, node: NodeTemplate): boolean {
  const selected = Object.entries(pod.nodeSelector ?? {}).every(([key, value]) =>
    key in node.labels ? node.labels[key] === value : (node.offered?.[key] ?? []).includes(value),
  );
  return selected && node.taints.every((t) => tolerates(pod, t));
}

/** Karpenter NodePools (manifests) as templates. */
export function nodePoolTemplates(pools: any[]): (NodeTemplate & { weight: number; capacityTypes: string[] })[] {
  return pools.map((p) => {
    const offered: Record<string, string[]> = {};
    for (const r of p.spec.template.spec.requirements) if (r.operator === 'In') offered[r.key] = r.values;
    return {
      name: p.metadata.name,
      labels: p.spec.template.metadata?.labels ?? {},
      offered,
      taints: p.spec.template.spec.taints ?? [],
      weight: p.spec.weight ?? 0,
      capacityTypes: offered['karpenter.sh/capacity-type'] ?? ['spot', 'on-demand'],
    };
  });
}

/** The pools Karpenter tries first for the pod: the fitting ones of the highest weight. */
export function karpenterFirstChoice<T extends NodeTemplate & { weight: number }>(pod: Pod, pools: T[]): T[] {
  const fitting = pools.filter((p) => fits(pod, p));
  const top = Math.max(...fitting.map((p) => p.weight));
  return fitting.filter((p) => p.weight === top);
}

const TEMPLATE_LABEL = 'k8s.io/cluster-autoscaler/node-template/label/';
const TEMPLATE_TAINT = 'k8s.io/cluster-autoscaler/node-template/taint/';

/** Auto Scaling groups as Cluster Autoscaler sees them (node-template tags). */
export function asgTemplates(groups: any[]): (NodeTemplate & { onDemandBase: number; onDemandPercentage: number })[] {
  return groups.map((g) => {
    const tags: Record<string, string> = Object.fromEntries(g.tag.map((t: any) => [t.key, t.value]));
    const labels: Record<string, string> = {};
    const taints: Taint[] = [];
    for (const [key, value] of Object.entries(tags)) {
      if (key.startsWith(TEMPLATE_LABEL)) labels[key.slice(TEMPLATE_LABEL.length)] = value;
      if (key.startsWith(TEMPLATE_TAINT)) {
        const [v, effect] = value.split(':');
        taints.push({ key: key.slice(TEMPLATE_TAINT.length), value: v, effect });
      }
    }
    const distribution = g.mixed_instances_policy.instances_distribution;
    return {
      name: g.name,
      labels,
      taints,
      onDemandBase: distribution.on_demand_base_capacity,
      onDemandPercentage: distribution.on_demand_percentage_above_base_capacity,
    };
  });
}

/** The priorities ConfigMap content from the Cluster Autoscaler Helm values. */
export function expanderPriorities(release: any): Record<string, string[]> {
  const values = parse(release.values[0]);
  expect(values.extraArgs.expander.split(',')[0]).toBe('priority');
  return parse(values.expanderPriorities);
}

/** The groups Cluster Autoscaler scales for the pod: the fitting ones of the highest tier listing any of them. */
export function autoscalerFirstChoice<T extends NodeTemplate>(pod: Pod, groups: T[], priorities: Record<string, string[]>): T[] {
  const fitting = groups.filter((g) => fits(pod, g));
  const tiers = Object.keys(priorities).map(Number).sort((a, b) => b - a);
  for (const tier of tiers) {
    const chosen = fitting.filter((g) => priorities[tier].some((pattern) => new RegExp(pattern).test(g.name)));
    if (chosen.length > 0) return chosen;
  }
  return [];
}

/** The highest tier whose patterns match a group name (what the expander ranks it at). */
export function tierOf(name: string, priorities: Record<string, string[]>): number {
  const tiers = Object.keys(priorities).map(Number).filter((t) => priorities[t].some((p) => new RegExp(p).test(name)));
  return Math.max(...tiers);
}
