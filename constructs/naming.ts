import { createHash } from 'node:crypto';
import { Construct } from 'constructs';

/**
 * A physical name that is unique per construct path, stable across synths, and within an AWS
 * length limit: `<prefix>-<suffix>`, and when that is too long, a cut prefix plus an 8-character
 * hash of the construct path so two long names never collide.
 */
export function physicalName(scope: Construct, prefix: string, suffix: string, maxLength: number): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-_]/g, '-');
  const full = `${clean(prefix)}-${clean(suffix)}`;
  if (full.length <= maxLength) return full;
  const hash = createHash('sha256').update(scope.node.path).update(full).digest('hex').slice(0, 8);
  const room = maxLength - suffix.length - hash.length - 2;
  return room > 0 ? `${clean(prefix).slice(0, room)}-${hash}-${clean(suffix)}` : `${full.slice(0, maxLength - 9)}-${hash}`;
}
