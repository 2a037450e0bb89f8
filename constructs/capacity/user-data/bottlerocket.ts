/**
 * Bottlerocket user data: TOML settings. Strings are written as TOML basic strings; JSON string
 * syntax is a subset of them, so JSON.stringify quotes and escapes correctly.
 */
import { Fn, Token } from 'cdktf';
import type { KubeletSettings, ReservedResources, Taint } from '../launch-spec';
import type { NodeBootstrap } from './node-bootstrap';

const q = (s: string): string => JSON.stringify(s);

export function bottlerocketUserData(
  cluster: NodeBootstrap,
  labels: Record<string, string>,
  taints: readonly Taint[],
  extraSettingsToml?: string,
  kubelet?: KubeletSettings,
): string {
  const lines = [
    '[settings.kubernetes]',
    `cluster-name = ${q(cluster.clusterName)}`,
    `api-server = ${q(cluster.endpoint)}`,
    `cluster-certificate = ${q(cluster.certificateAuthorityData)}`,
    // Set explicitly so the node need not call eks:DescribeCluster to learn it.
    `cluster-dns-ip = ${q(clusterDnsIp(cluster.serviceIpv4Cidr))}`,
    ...(kubelet?.maxPods !== undefined ? [`max-pods = ${kubelet.maxPods}`] : []),
    ...reservedTable('kube-reserved', kubelet?.kubeReserved),
    ...reservedTable('system-reserved', kubelet?.systemReserved),
    '',
    '[settings.kubernetes.node-labels]',
    ...Object.entries(labels).map(([k, v]) => `${q(k)} = ${q(v)}`),
  ];
  if (taints.length > 0) {
    // Bottlerocket groups taints by key: "key" = ["value:Effect", …].
    const byKey = new Map<string, string[]>();
    for (const t of taints) byKey.set(t.key, [...(byKey.get(t.key) ?? []), `${t.value ?? ''}:${t.effect}`]);
    lines.push('', '[settings.kubernetes.node-taints]');
    for (const [key, values] of byKey) lines.push(`${q(key)} = [${values.map(q).join(', ')}]`);
  }
  if (extraSettingsToml) lines.push('', extraSettingsToml.trimEnd());
  return `${lines.join('\n')}\n`;
}

/** `[settings.kubernetes.kube-reserved]`-style tables are written inline: `kube-reserved = { cpu = "…" }`. */
function reservedTable(key: string, r: ReservedResources | undefined): string[] {
  if (r === undefined) return [];
  const entries = [
    ...(r.cpu ? [`cpu = ${q(r.cpu)}`] : []),
    ...(r.memory ? [`memory = ${q(r.memory)}`] : []),
    ...(r.ephemeralStorage ? [`ephemeral-storage = ${q(r.ephemeralStorage)}`] : []),
  ];
  return entries.length > 0 ? [`${key} = { ${entries.join(', ')} }`] : [];
}

/** The cluster DNS service takes the 10th address of the service CIDR (EKS convention). */
export function clusterDnsIp(serviceCidr: string): string {
  if (Token.isUnresolved(serviceCidr)) return Fn.cidrhost(serviceCidr, 10);
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(serviceCidr);
  if (!match) throw new Error(`serviceIpv4Cidr: '${serviceCidr}' is not an IPv4 CIDR. Fix: give e.g. '172.20.0.0/16'.`);
  const base = match.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0);
  const ip = base + 10;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}
