/**
 * AL2023 user data: a nodeadm NodeConfig (node.eks.aws/v1alpha1) in a MIME multipart document,
 * followed by the spec's extra parts. Labels and taints go to kubelet as registration flags.
 */
import { stringify } from 'yaml';
import type { KubeletSettings, ReservedResources, Taint, UserDataPart } from '../launch-spec';
import type { NodeBootstrap } from './node-bootstrap';
import { mimeMultipart } from './mime';

export const NODEADM_CONTENT_TYPE = 'application/node.eks.aws';

export function al2023UserData(
  cluster: NodeBootstrap,
  labels: Record<string, string>,
  taints: readonly Taint[],
  extraParts: readonly UserDataPart[] = [],
  kubelet?: KubeletSettings,
): string {
  const flags = [`--node-labels=${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`];
  if (taints.length > 0) flags.push(`--register-with-taints=${taints.map(kubeletTaint).join(',')}`);
  const nodeConfig = {
    apiVersion: 'node.eks.aws/v1alpha1',
    kind: 'NodeConfig',
    spec: {
      cluster: {
        name: cluster.clusterName,
        apiServerEndpoint: cluster.endpoint,
        certificateAuthority: cluster.certificateAuthorityData,
        cidr: cluster.serviceIpv4Cidr,
      },
      kubelet: { ...kubeletConfig(kubelet), flags },
    },
  };
  // lineWidth 0: never fold long values (the CA data, cdktf tokens) across lines.
  const yaml = `---\n${stringify(nodeConfig, { lineWidth: 0 })}`;
  return mimeMultipart([{ contentType: NODEADM_CONTENT_TYPE, content: yaml }, ...extraParts]);
}

/** nodeadm's `kubelet.config` (a KubeletConfiguration fragment merged over nodeadm's own). */
function kubeletConfig(k: KubeletSettings | undefined): { config?: Record<string, unknown> } {
  if (k === undefined) return {};
  const reserved = (r: ReservedResources | undefined) =>
    r && { ...(r.cpu ? { cpu: r.cpu } : {}), ...(r.memory ? { memory: r.memory } : {}), ...(r.ephemeralStorage ? { 'ephemeral-storage': r.ephemeralStorage } : {}) };
  const config = {
    ...(k.maxPods !== undefined ? { maxPods: k.maxPods } : {}),
    ...(k.kubeReserved ? { kubeReserved: reserved(k.kubeReserved) } : {}),
    ...(k.systemReserved ? { systemReserved: reserved(k.systemReserved) } : {}),
  };
  return Object.keys(config).length > 0 ? { config } : {};
}

/** kubelet `--register-with-taints` syntax: `key=value:Effect`, or `key:Effect` without a value. */
function kubeletTaint(t: Taint): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}
