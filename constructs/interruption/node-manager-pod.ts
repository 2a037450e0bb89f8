/**
 * The node-manager pod, expressed as intent (cdk8s-plus style) and rendered to the raw
 * kubernetes_daemon_set_v1 structs: run on every Linux EC2 node, tolerate everything, restricted
 * container. `hostNetwork` is the one documented exception: with an IMDS hop limit of 1 (our
 * launch templates' default) only the host network namespace reaches instance metadata.
 */
import { DaemonSetV1SpecTemplateSpec } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';

export const HEALTH_PORT = 9400;

/** Tolerate every taint, including the interruption taint node-manager itself adds. */
export const TOLERATE_EVERYTHING = [{ operator: 'Exists' }];

export interface NodeManagerPodOptions {
  readonly image: string;
  readonly serviceAccountName: string;
  readonly env: Record<string, string>;
  /** Only nodes labelled `node-lifecycle=spot`. */
  readonly spotOnly: boolean;
}

/** Linux EC2 nodes (not Fargate), optionally only spot ones. */
function runOnEveryNode(spotOnly: boolean) {
  const expressions = [
    { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    { key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: ['fargate', 'hybrid', 'auto'] },
    ...(spotOnly ? [{ key: 'node-lifecycle', operator: 'In', values: ['spot'] }] : []),
  ];
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerm: [{ matchExpressions: expressions }] } } };
}

/** A container that cannot write its image, escalate, or keep any capability. */
export const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  runAsUser: '65532',
  runAsGroup: '65532',
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export function nodeManagerPodSpec(o: NodeManagerPodOptions): DaemonSetV1SpecTemplateSpec {
  const probe = { httpGet: { path: '/healthz', port: String(HEALTH_PORT) }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 };
  return {
    serviceAccountName: o.serviceAccountName,
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    priorityClassName: 'system-node-critical',
    terminationGracePeriodSeconds: 30,
    toleration: TOLERATE_EVERYTHING,
    affinity: runOnEveryNode(o.spotOnly),
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    container: [
      {
        name: 'node-manager',
        image: o.image,
        imagePullPolicy: 'IfNotPresent',
        env: [
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          ...Object.entries(o.env).map(([name, value]) => ({ name, value })),
        ],
        port: [{ name: 'metrics', containerPort: HEALTH_PORT, protocol: 'TCP' }],
        resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } }, // idle RSS ≈ 55 MiB, ≈ 75 MiB while draining
        livenessProbe: { ...probe, initialDelaySeconds: 5 },
        readinessProbe: probe,
        securityContext: RESTRICTED_CONTAINER,
      },
    ],
  };
}
