/**
 * Headroom for the karpenter and asg engines: spare capacity held by placeholder pods. A
 * PriorityClass with a negative value lets every real pod preempt them (and `Never` keeps them
 * from preempting anything); a Deployment of pause pods per headroom asks for the units. When a
 * node is interrupted, its pods preempt the placeholders and start at once, while the evicted
 * placeholders go Pending and make the engine launch their replacement.
 *
 * The value stays above Cluster Autoscaler's `expendable-pods-priority-cutoff` (-10): pods below
 * it never trigger a scale-up. Karpenter provisions for pending pods of any priority.
 */
import { Construct } from 'constructs';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import type { Headroom, Taint } from './launch-spec';

export const HEADROOM_NAMESPACE = 'capacity-headroom';
export const HEADROOM_PRIORITY_CLASS = 'capacity-headroom';
/** Below every real pod (0 by default), above Cluster Autoscaler's expendable cutoff (-10). */
export const HEADROOM_PRIORITY = -5;
/** The pause image: does nothing, as small as a container gets. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

/** Where a headroom's placeholders must land: the spec's labels and taints (none: cluster-wide). */
export interface HeadroomTarget {
  /** Name of the Deployment's suffix: the launch spec, or `cluster` for the defaults' headroom. */
  readonly name: string;
  readonly headroom: Headroom;
  /** @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** Taints to tolerate. @default [] */
  readonly taints?: readonly Taint[];
}

/** The namespace, the PriorityClass, and one Deployment per headroom, created on first use. */
export class HeadroomPlaceholders extends Construct {
  private readonly namespace: NamespaceV1;
  private readonly priorityClass: PriorityClassV1;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: HEADROOM_NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    this.priorityClass = new PriorityClassV1(this, 'priority-class', {
      metadata: { name: HEADROOM_PRIORITY_CLASS },
      value: HEADROOM_PRIORITY,
      globalDefault: false,
      preemptionPolicy: 'Never',
      description: 'Placeholder pods holding spare capacity; every real pod preempts them.',
    });
  }

  /** Adds the Deployment of `target.headroom.numOfUnits` pause pods, each one unit big. */
  add(target: HeadroomTarget): DeploymentV1 {
    const { headroom } = target;
    const labels = { 'app.kubernetes.io/name': 'headroom', 'app.kubernetes.io/instance': target.name };
    const resources: Record<string, string> = { cpu: `${headroom.cpuPerUnit}m`, memory: `${headroom.memoryPerUnit}Mi` };
    if ((headroom.gpuPerUnit ?? 0) > 0) resources['nvidia.com/gpu'] = String(headroom.gpuPerUnit);
    return new DeploymentV1(this, `headroom-${target.name}`, {
      metadata: { name: `headroom-${target.name}`, namespace: this.namespace.metadata.name, labels },
      // The pods stay Pending until a node is launched for them: do not wait for the rollout.
      waitForRollout: false,
      // Pods naming a PriorityClass that does not exist yet are refused at admission.
      dependsOn: [this.priorityClass],
      spec: {
        replicas: String(headroom.numOfUnits),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: HEADROOM_PRIORITY_CLASS,
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 0,
            nodeSelector: target.nodeSelector && Object.keys(target.nodeSelector).length > 0 ? { ...target.nodeSelector } : undefined,
            toleration: (target.taints ?? []).map((t) => ({ key: t.key, operator: 'Equal', value: t.value ?? '', effect: t.effect })),
            securityContext: { runAsNonRoot: true, runAsUser: '65535', seccompProfile: { type: 'RuntimeDefault' } },
            container: [
              {
                name: 'pause',
                image: PAUSE_IMAGE,
                // Extended resources (GPUs) need limits equal to requests; CPU and memory are capped too.
                resources: { requests: resources, limits: resources },
                securityContext: { runAsNonRoot: true, runAsUser: '65535', allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    });
  }
}
