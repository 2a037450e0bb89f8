/**
 * The Kubernetes API as node-manager uses it: the calls, in the shapes the daemon and the drain
 * share. Implemented over node:https by `kube-lite.ts`; types only, so the drain (drain.js) can
 * name it without importing the implementation.
 */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KubeLite {
  getNode(name: string, signal?: AbortSignal): Promise<Json>;
  /** RFC 7386 merge patch; include `metadata.resourceVersion` to fail with 409 on a concurrent change. */
  patchNode(name: string, patch: Json, signal?: AbortSignal): Promise<Json>;
  createEvent(namespace: string, event: Json, signal?: AbortSignal): Promise<void>;
  /** Pods in every namespace matching a field selector (`spec.nodeName=<node>`). */
  listPods(fieldSelector: string, signal?: AbortSignal): Promise<Json[]>;
  /** POST an Eviction (policy/v1): HTTP 429 while a PodDisruptionBudget forbids it, 404 once the pod is gone. */
  evictPod(namespace: string, name: string, eviction: Json, signal?: AbortSignal): Promise<void>;
}
