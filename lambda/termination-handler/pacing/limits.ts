/**
 * AWS's per-account request buckets for the APIs the handler spends most on (AWS: "Request throttling
 * for the Elastic Load Balancing API", "Request throttling for the Amazon EC2 API"), and which bucket
 * each action draws from. Import-free, so the construct and the bench can read it too.
 */
export interface BucketLimit {
  /** Tokens when full: the burst. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
}

export const AWS_API_LIMITS = {
  /** Every ELBv2 Describe* call. */
  'elbv2:describe': { capacity: 40, refillPerSecond: 10 },
  /** RegisterTargets and DeregisterTargets together. */
  'elbv2:registration': { capacity: 20, refillPerSecond: 4 },
  /** EC2 non-mutating (Describe*) actions: one bucket per action. */
  'ec2:non-mutating': { capacity: 100, refillPerSecond: 20 },
  /** EC2 mutating actions: one bucket per action. */
  'ec2:mutating': { capacity: 50, refillPerSecond: 5 },
} as const satisfies Record<string, BucketLimit>;

export type ApiGroup = keyof typeof AWS_API_LIMITS;

/** The handler keeps this share of every bucket free for the rest of the account by default. */
export const DEFAULT_RESERVED_SHARE = 0.25;

/** The bucket (key) an action spends from; undefined for services AWS does not meter this way. */
export function bucketKeyOf(service: 'elbv2' | 'ec2', action: string): { key: string; group: ApiGroup } {
  if (service === 'elbv2') {
    if (action.startsWith('Describe')) return { key: 'elbv2:Describe*', group: 'elbv2:describe' };
    // Other ELBv2 mutations have buckets of their own of the same size; the handler only deregisters.
    const key = action === 'RegisterTargets' || action === 'DeregisterTargets' ? 'elbv2:RegisterTargets|DeregisterTargets' : `elbv2:${action}`;
    return { key, group: 'elbv2:registration' };
  }
  const group: ApiGroup = action.startsWith('Describe') ? 'ec2:non-mutating' : 'ec2:mutating';
  return { key: `ec2:${action}`, group };
}
