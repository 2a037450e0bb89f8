/**
 * The node-manager pod, expressed as intent (cdk8s-plus style) and rendered to the raw
 * kubernetes_daemon_set_v1 structs: run on every Linux EC2 node, tolerate everything, restricted
 * container. `hostNetwork` is the one documented exception: with an IMDS hop limit of 1 (our
 * launch templates' default) only the host network namespace reaches instance metadata.
 */
import {
  DaemonSetV1SpecTemplateSpec,
  DaemonSetV1SpecTemplateSpecContainer,
  DaemonSetV1SpecTemplateSpecContainerEnv,
  DaemonSetV1SpecTemplateSpecToleration,
} from '@cdktf/provider-kubernetes/lib/daemon-set-v1';

/** The default port of /healthz and /metrics, on the node's IP (host network). */
export const HEALTH_PORT = 9400;

/** Tolerate every taint, including the interruption taint node-manager itself adds. */
export const TOLERATE_EVERYTHING: DaemonSetV1SpecTemplateSpecToleration[] = [{ operator: 'Exists' }];

/** Requests and limits of the node-manager container. */
export interface NodeManagerResources {
  /** @default { cpu: '10m', memory: '64Mi' } */
  readonly requests?: Record<string, string>;
  /** @default { cpu: '100m', memory: '128Mi' } */
  readonly limits?: Record<string, string>;
}

// Idle RSS ≈ 55 MiB, ≈ 75 MiB while draining.
export const DEFAULT_RESOURCES = { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } };

export interface NodeManagerPodOptions {
  readonly image: string;
  readonly serviceAccountName: string;
  readonly env: Record<string, string>;
  /** Variables read from Secrets: name → secret and key. */
  readonly secretEnv?: Record<string, { readonly name: string; readonly key: string }>;
  /** Only nodes labelled `node-lifecycle=spot`. */
  readonly spotOnly: boolean;
  readonly httpPort: number;
  readonly tolerations: DaemonSetV1SpecTemplateSpecToleration[];
  readonly resources: NodeManagerResources;
  readonly nodeSelector: Record<string, string>;
  readonly priorityClassName: string;
  readonly extraContainers: DaemonSetV1SpecTemplateSpecContainer[];
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
  const probe = { httpGet: { path: '/healthz', port: String(o.httpPort) }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 };
  const env: DaemonSetV1SpecTemplateSpecContainerEnv[] = [
    { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    // /healthz and /metrics listen on the node's IP only, not on every host interface.
    { name: 'HTTP_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    ...Object.entries(o.env).map(([name, value]) => ({ name, value })),
    ...Object.entries(o.secretEnv ?? {}).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } })),
  ];
  return {
    serviceAccountName: o.serviceAccountName,
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    priorityClassName: o.priorityClassName,
    terminationGracePeriodSeconds: 30,
    toleration: o.tolerations,
    affinity: runOnEveryNode(o.spotOnly),
    ...(Object.keys(o.nodeSelector).length > 0 ? { nodeSelector: o.nodeSelector } : {}),
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    container: [
      {
        name: 'node-manager',
        image: o.image,
        imagePullPolicy: 'IfNotPresent',
        env,
        port: [{ name: 'metrics', containerPort: o.httpPort, protocol: 'TCP' }],
        resources: { requests: o.resources.requests ?? DEFAULT_RESOURCES.requests, limits: o.resources.limits ?? DEFAULT_RESOURCES.limits },
        livenessProbe: { ...probe, initialDelaySeconds: 5 },
        readinessProbe: probe,
        securityContext: RESTRICTED_CONTAINER,
      },
      ...o.extraContainers,
    ],
  };
}
