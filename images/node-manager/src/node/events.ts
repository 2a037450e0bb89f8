/**
 * One Kubernetes Event on the Node per action (NTH's `emitKubernetesEvents`), in the `default`
 * namespace as the kubelet's node events are. Best effort: a failed event is logged, never retried.
 */
import type { KubeLite } from '../kube-lite';
import type { Logger } from '../logger';

export type EventReason = 'NodeManagerCordon' | 'NodeManagerDrain' | 'NodeManagerUncordon' | 'NodeManagerLifecycleLabel';

export function eventRecorder(kube: KubeLite | undefined, nodeName: string | undefined, logger: Logger) {
  return async (reason: EventReason, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> => {
    if (!kube || !nodeName) return;
    const now = new Date().toISOString();
    try {
      await kube.createEvent('default', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${nodeName}.`, namespace: 'default' },
        involvedObject: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        reason,
        message: message.slice(0, 1024),
        type,
        source: { component: 'node-manager', host: nodeName },
        reportingComponent: 'spot-ready-eks/node-manager',
        reportingInstance: nodeName.slice(0, 128), // the API server's limit
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
    } catch (err) {
      logger.warn('Kubernetes event not recorded', { reason, err });
    }
  };
}
