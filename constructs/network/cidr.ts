/**
 * CIDR checks shared by the cluster construct, the platform config and the policy suite: which
 * ranges count as "the whole internet" for an endpoint that must stay closed.
 */

/** The widest IPv4 prefix accepted for the public endpoint: /0–/7 (≥ 1/128 of all addresses) count as the world. */
export const WIDEST_IPV4_PREFIX = 8;
/** The widest IPv6 prefix accepted: /0–/15 count as the world. */
export const WIDEST_IPV6_PREFIX = 16;

/**
 * True for `0.0.0.0/0`, `::/0` and any range wider than a /8 (IPv4) or /16 (IPv6) — so `0.0.0.0/1`
 * plus `128.0.0.0/1`, the world in two halves, is caught too. Not a CIDR → false (the syntax check
 * reports it).
 */
export function isOpenToWorld(cidr: string): boolean {
  const m = /^\s*([0-9a-fA-F:.]+)\/(\d{1,3})\s*$/.exec(cidr);
  if (!m) return false;
  const prefix = Number(m[2]);
  return prefix < (m[1].includes(':') ? WIDEST_IPV6_PREFIX : WIDEST_IPV4_PREFIX);
}

/** The one message every layer uses after the field's name, so the fix reads the same wherever it is caught. */
export function openToWorldMessage(cidrs: string[], optIn: string): string {
  return (
    `contains ${cidrs.join(', ')}: that opens the EKS API endpoint to the whole internet. ` +
    `Name the networks that need it (e.g. 203.0.113.0/24; nothing wider than /${WIDEST_IPV4_PREFIX} or IPv6 /${WIDEST_IPV6_PREFIX}), ` +
    `leave it empty for a private endpoint, or ${optIn}.`
  );
}
