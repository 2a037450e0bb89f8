/**
 * Which IP targets belong to the instance: any private address on ANY of its ENIs (pods on the VPC CNI
 * use the node's secondary addresses), or, with VPC CNI prefix delegation, any IPv4 address inside a
 * prefix delegated to one of its ENIs (those pod addresses are not listed one by one).
 */
import type { InstanceEni } from './types';

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

function inCidr(ip: number, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const start = ipv4ToInt(base ?? '');
  const bits = Number(bitsText);
  if (start === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return ip >= start && ip < start + size;
}

/** A predicate: does this target id (an IP address) belong to one of these ENIs? */
export function instanceAddressMatcher(enis: readonly InstanceEni[]): (address: string) => boolean {
  const exact = new Set(enis.flatMap((e) => e.addresses.map((a) => a.toLowerCase())));
  const prefixes = enis.flatMap((e) => e.ipv4Prefixes);
  return (address) => {
    if (exact.has(address.toLowerCase())) return true;
    const ip = prefixes.length ? ipv4ToInt(address) : undefined;
    return ip !== undefined && prefixes.some((p) => inCidr(ip, p));
  };
}
