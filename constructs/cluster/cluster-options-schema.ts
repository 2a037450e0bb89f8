/**
 * Synth-time validation of the cluster's knobs (cluster-options.ts), shared by {@link EksCluster}
 * and the platform config so a bad value reads the same from code and from cdktf.json: each
 * problem names the field path, what is accepted and the fix. Values that are still cdktf tokens
 * (known only at apply time) pass the format checks.
 */
import { z } from 'zod';
import { isToken } from '../tokens';
import { isOpenToWorld } from '../network/cidr';
import type { AccessEntryOptions, AddonConfiguration, ClusterSecurityGroupRule, FargateProfileOptions } from './cluster-options';

/** A record whose keys must match `key`; a bad key is reported under its own path with `message` (zod's record keys only say "Invalid key"). */
function keyed<T extends z.ZodType>(key: (k: string) => boolean, message: string, value: T) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const k of Object.keys(record)) if (!key(k)) ctx.addIssue({ code: 'custom', path: [k], message });
  });
}
const LOGICAL_KEY = /^[A-Za-z0-9][\w-]{0,62}$/;
const matching = (re: RegExp, message: string) => z.string().refine((v) => isToken(v) || re.test(v), message);

const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\-/]+$/;
const IAM_ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/;
/** EKS access policies (`aws eks list-access-policies`), by name. */
export const EKS_ACCESS_POLICIES = [
  'AmazonEKSClusterAdminPolicy', 'AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy', 'AmazonEKSViewPolicy', 'AmazonEKSAdminViewPolicy',
] as const;
const ACCESS_POLICY_ARN = /^arn:aws[a-z-]*:eks::aws:cluster-access-policy\/[A-Za-z0-9]+$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_PATTERN = /^[a-z0-9*?]([-a-z0-9*?]{0,61}[a-z0-9*?])?$/;
const DNS_LABEL_MESSAGE = 'must be a Kubernetes name: lower-case letters, digits and "-", at most 63 characters';

const accessPolicy = z.strictObject({
  policy: z.string().refine(
    (v) => isToken(v) || (EKS_ACCESS_POLICIES as readonly string[]).includes(v) || ACCESS_POLICY_ARN.test(v),
    `must be one of ${EKS_ACCESS_POLICIES.join(', ')} or an arn:aws:eks::aws:cluster-access-policy/… ARN`,
  ),
  namespaces: z.array(matching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$|^[a-z0-9][-a-z0-9]{0,61}\*$/, `${DNS_LABEL_MESSAGE} (a trailing "*" is a wildcard)`)).optional(),
});

export const accessEntriesSchema: z.ZodType<Record<string, AccessEntryOptions>> = keyed(
  (k) => LOGICAL_KEY.test(k),
  'access entry keys name the Terraform resource: letters, digits, "-" and "_", starting with a letter or digit',
  z.strictObject({
    principalArn: matching(IAM_PRINCIPAL, 'must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/Developers'),
    type: z.enum(['STANDARD', 'EC2_LINUX', 'EC2_WINDOWS']).optional(),
    kubernetesGroups: z
      .array(z.string().min(1).max(256).refine((g) => !g.startsWith('system:'), 'may not start with "system:" (EKS reserves those groups; use an access policy instead)'))
      .optional(),
    policies: z
      .array(accessPolicy)
      .optional()
      .refine((ps) => new Set(ps?.map((p) => p.policy)).size === (ps?.length ?? 0), 'names the same policy twice; merge their namespaces'),
  }).superRefine((e, ctx) => {
    if ((e.type ?? 'STANDARD') === 'STANDARD') return;
    for (const field of ['kubernetesGroups', 'policies'] as const) {
      if (e[field]?.length) ctx.addIssue({ code: 'custom', path: [field], message: `is not allowed with type ${e.type}: EKS gives node entries their own groups; use a STANDARD entry` });
    }
  }),
);

export const addonConfigurationSchema: z.ZodType<Record<string, AddonConfiguration>> = keyed(
  (k) => /^[a-z0-9][a-z0-9-]{0,99}$/.test(k),
  'must be an add-on name such as coredns',
  z
    .strictObject({
      configurationValues: z
        .record(z.string(), z.unknown())
        .refine((v) => { try { return JSON.stringify(v).length <= 65_536; } catch { return false; } }, 'must be a JSON object of at most 64 KiB')
        .optional(),
      serviceAccountRoleArn: matching(IAM_ROLE, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/vpc-cni').optional(),
      podIdentity: z
        .strictObject({
          serviceAccount: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a service account name such as aws-node'),
          namespace: z.string().regex(NAMESPACE, DNS_LABEL_MESSAGE).optional(),
          roleArn: matching(IAM_ROLE, 'must be an IAM role ARN').optional(),
          managedPolicies: z.array(z.string().regex(/^[\w+=,.@-]+(\/[\w+=,.@-]+)*$/, 'must be AWS-managed policy names such as AmazonEKS_CNI_Policy')).optional(),
        })
        .optional(),
    })
    .refine((a) => !(a.serviceAccountRoleArn && a.podIdentity), 'sets both serviceAccountRoleArn (IRSA) and podIdentity; choose one'),
);

const port = z.number().int('must be a whole number').min(-1).max(65535, 'must be at most 65535');
export const securityGroupRulesSchema: z.ZodType<Record<string, ClusterSecurityGroupRule>> = keyed(
  (k) => LOGICAL_KEY.test(k),
  'rule keys name the Terraform resource: letters, digits, "-" and "_", starting with a letter or digit',
  z
    .strictObject({
      description: z.string().min(1, 'is required: say what the rule is for').max(255),
      direction: z.enum(['ingress', 'egress']),
      protocol: z.enum(['tcp', 'udp', 'icmp', 'icmpv6', '-1']),
      fromPort: port.optional(),
      toPort: port.optional(),
      cidrIpv4: matching(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be an IPv4 CIDR such as 10.1.0.0/16').optional(),
      cidrIpv6: matching(/^[0-9a-fA-F:]+\/\d{1,3}$/, 'must be an IPv6 CIDR such as 2001:db8::/32').optional(),
      securityGroupId: matching(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id such as sg-0123456789abcdef0').optional(),
      prefixListId: matching(/^pl-[0-9a-f]{8,17}$/, 'must be a prefix list id such as pl-0123456789abcdef0').optional(),
    })
    .superRefine((r, ctx) => {
      const peers = [r.cidrIpv4, r.cidrIpv6, r.securityGroupId, r.prefixListId].filter((p) => p !== undefined);
      if (peers.length !== 1) ctx.addIssue({ code: 'custom', message: `needs exactly one peer of cidrIpv4, cidrIpv6, securityGroupId, prefixListId (got ${peers.length})` });
      if ((r.protocol === 'tcp' || r.protocol === 'udp') && r.fromPort === undefined) ctx.addIssue({ code: 'custom', path: ['fromPort'], message: `is required for protocol ${r.protocol}` });
      if (r.fromPort !== undefined && r.toPort !== undefined && r.toPort < r.fromPort && r.protocol !== 'icmp' && r.protocol !== 'icmpv6') ctx.addIssue({ code: 'custom', path: ['toPort'], message: `must be at least fromPort (${r.fromPort})` });
      for (const key of ['cidrIpv4', 'cidrIpv6'] as const) {
        const cidr = r[key];
        if (r.direction === 'ingress' && cidr && !isToken(cidr) && isOpenToWorld(cidr)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${cidr} opens the cluster security group to the internet; name the networks that need it` });
        }
      }
    }),
);

const selector = z.strictObject({
  namespace: z.string().regex(NAMESPACE_PATTERN, `${DNS_LABEL_MESSAGE} ("*" and "?" wildcards allowed)`),
  labels: z.record(z.string().min(1).max(317), z.string().max(63)).refine((l) => Object.keys(l).length <= 5, 'may hold at most 5 labels (an EKS limit)').optional(),
});

export const fargateProfilesSchema: z.ZodType<Record<string, FargateProfileOptions>> = keyed(
  (k) => /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(k),
  'profile names: letters, digits, "-" and "_", at most 100, starting with a letter or digit',
  z.strictObject({
    selectors: z.array(selector).min(1, 'needs at least one selector').max(5, 'may hold at most 5 selectors (an EKS limit)'),
    subnetIds: z.array(matching(/^subnet-[0-9a-f]{8,17}$/, 'must be subnet ids such as subnet-0123456789abcdef0')).min(1).optional(),
  }),
);

/** AWS tag rules: keys 1–128 and values ≤ 256 characters of letters, digits, spaces and `_ . : / = + - @`; `aws:` is reserved. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const tagsSchema: z.ZodType<Record<string, string>> = keyed(
  (k) => k.length >= 1 && k.length <= 128 && TAG_CHARS.test(k) && !k.toLowerCase().startsWith('aws:'),
  'tag keys are 1–128 letters, digits, spaces and _ . : / = + - @, and may not start with "aws:" (reserved by AWS)',
  z.string().max(256, 'tag values may be at most 256 characters').refine((v) => isToken(v) || TAG_CHARS.test(v), 'tag values may hold letters, digits, spaces and _ . : / = + - @'),
).refine((t) => Object.keys(t).length <= 40, 'may hold at most 40 tags (AWS allows 50 per resource; 10 are left for the project\'s own)');

/** Throws one error listing every problem of `value` under `field`, or returns the value. */
export function validated<T>(schema: z.ZodType<T>, field: string, value: T | undefined): T | undefined {
  if (value === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return value;
  const problems = result.error.issues.map((i) => `${[field, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new Error(`Invalid cluster options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
