/** The Kubernetes API client: a kubeconfig file when KUBECONFIG is set (tests, local runs), else the pod's service account. */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export function createCoreApi(kubeconfigPath: string | undefined): CoreV1Api {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromDefault();
  else kc.loadFromCluster();
  return kc.makeApiClient(CoreV1Api);
}

/** The HTTP status of a failed API call, or undefined when there was no answer. */
export function apiStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
