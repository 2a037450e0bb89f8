/**
 * User data for a launch spec's nodes, by AMI family. Nodes of a pool that is only spot or only
 * on-demand register with the lifecycle label; a pool that may launch either leaves it to
 * node-manager, which labels each node from IMDS.
 */
import { Fn, Token } from 'cdktf';
import { LIFECYCLE_LABEL, type LaunchSpec, type Lifecycle } from '../launch-spec';
import { al2023UserData } from './al2023';
import { bottlerocketUserData } from './bottlerocket';
import type { NodeBootstrap } from './node-bootstrap';

export type { NodeBootstrap } from './node-bootstrap';

/** The spec's labels plus the lifecycle label, when the pool's nodes are all of one lifecycle. */
export function nodeLabels(spec: LaunchSpec, lifecycle: Lifecycle | undefined): Record<string, string> {
  return lifecycle === undefined ? { ...spec.labels } : { ...spec.labels, [LIFECYCLE_LABEL]: lifecycle };
}

/** The plain-text user data (before base64). Taints include the startup taints. */
export function userDataText(spec: LaunchSpec, cluster: NodeBootstrap, lifecycle: Lifecycle | undefined): string {
  const family = spec.amiFamily ?? { kind: 'al2023' };
  const labels = nodeLabels(spec, lifecycle);
  const taints = [...(spec.taints ?? []), ...(spec.startupTaints ?? [])];
  switch (family.kind) {
    case 'al2023':
      return al2023UserData(cluster, labels, taints, family.extraUserDataParts, spec.kubelet);
    case 'bottlerocket':
      return bottlerocketUserData(cluster, labels, taints, family.extraSettingsToml, spec.kubelet);
    case 'custom':
      return family.userData ?? '';
  }
}

/**
 * Base64 user data for a launch template. Text that holds cdktf tokens is encoded by Terraform
 * (`base64encode`) so the tokens resolve first.
 */
export function renderUserData(spec: LaunchSpec, cluster: NodeBootstrap, lifecycle: Lifecycle | undefined): string {
  const text = userDataText(spec, cluster, lifecycle);
  return Token.isUnresolved(text) ? Fn.base64encode(hclQuotedLiteral(text)) : Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Escapes text for the HCL quoted string cdktf writes as the function argument. cdktf itself only
 * escapes newlines and `${` in literal parts; quotes, backslashes, carriage returns and `%{`
 * (a template directive) are ours to escape. Token placeholders contain none of these.
 */
export function hclQuotedLiteral(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/%\{/g, '%%{');
}
