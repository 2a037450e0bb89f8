/**
 * The ONE typed platform config: defaults here, overridden by cdktf.json context (`"context"`
 * keys of the same names), then by `SPOT_EKS_*` environment variables. Validated before anything
 * is synthesized, with errors that name the field and the fix.
 */
import { z } from 'zod';
import { ACT_ON_SIGNALS, DEFAULT_ACT_ON } from '../../contract/act-on';
import type { SignalKind } from '../../contract/signal-kinds';
import { isOpenToWorld, openToWorldMessage } from '../network/cidr';
import { accessEntriesSchema, addonConfigurationSchema, fargateProfilesSchema, securityGroupRulesSchema, tagsSchema } from '../cluster/cluster-options-schema';

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const cidr = () => z.string().regex(CIDR, 'must be an IPv4 CIDR such as 10.0.0.0/16');
const iamPrincipalArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@\-/]+$/, 'must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/Admin');

export const CAPACITY_ENGINES = ['karpenter', 'asg', 'spotinst'] as const;
export const MONITORING_PROVIDERS = ['none', 'datadog', 'mackerel', 'webhook'] as const;

const fields = z
  .object({
    /** EKS cluster name: letters, digits, `-` and `_`, starting with a letter or digit, ≤ 100 characters. @default 'spot-ready' */
    clusterName: z
      .string()
      .max(100, 'must be at most 100 characters (an EKS limit)')
      .regex(/^[0-9A-Za-z][A-Za-z0-9_-]*$/, 'may hold only letters, digits, "-" and "_", and must start with a letter or digit (an EKS rule)')
      .default('spot-ready'),
    /** AWS region. @default 'eu-west-1' */
    region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1').default('eu-west-1'),
    /** Kubernetes minor version, `1.NN`. @default '1.33' */
    kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version such as 1.33').default('1.33'),
    /** VPC CIDR (ignored with `existingVpcId`). @default '10.0.0.0/16' */
    vpcCidr: cidr().default('10.0.0.0/16'),
    /** Availability zones to spread subnets over; EKS needs at least 2. @default 3 */
    azCount: z.number().int('must be a whole number').min(2, 'must be at least 2 (EKS needs subnets in two AZs)').max(6, 'must be at most 6').default(3),
    /** Use an existing VPC instead of creating one. @default - a new VPC */
    existingVpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id such as vpc-0123456789abcdef0').optional(),
    /** Private subnet ids of the existing VPC (required with `existingVpcId`). */
    existingPrivateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be subnet ids such as subnet-0123456789abcdef0')).optional(),
    /** IAM principal given cluster-admin through an access entry. @default - only the identity that creates the cluster */
    adminPrincipalArn: iamPrincipalArn.optional(),
    /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private. @default [] (private only) */
    publicAccessCidrs: z
      .array(cidr())
      .check((ctx) => {
        const open = ctx.value.filter(isOpenToWorld);
        if (open.length) ctx.issues.push({ code: 'custom', input: ctx.value, message: openToWorldMessage(open, "build the cluster in code with EksCluster's allowPublicEndpointFromAnywhere") });
      })
      .default([]),
    /** More IAM principals with API access: access entries with policies, cluster-wide or per namespace (cdktf.json context, or JSON in the env var). @default {} */
    accessEntries: accessEntriesSchema.optional(),
    /** Per add-on settings: configurationValues, serviceAccountRoleArn or podIdentity. @default {} */
    addonConfiguration: addonConfigurationSchema.optional(),
    /** Extra rules on the cluster security group, by name. @default {} */
    clusterSecurityGroupRules: securityGroupRulesSchema.optional(),
    /** Fargate profiles, by name. @default {} - no Fargate */
    fargateProfiles: fargateProfilesSchema.optional(),
    /** Tags on every AWS resource of both stacks (the AWS provider's default_tags). @default {} */
    tags: tagsSchema.optional(),
    /** Attach AmazonSSMManagedInstanceCore to the node role (it reads every SSM parameter). @default false */
    nodeSsmAccess: z.boolean().default(false),
    /** Customer-managed KMS key of the monitoring secret; the termination handler may decrypt with it through Secrets Manager. @default - none (aws/secretsmanager) */
    monitoringSecretKmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/…').optional(),
    /** Days to keep control-plane, flow, Lambda and drill logs (a year: what audits and scanners expect). @default 365 */
    logRetentionDays: z.number().int().min(1).max(3653).default(365),
    /** Capacity engine that renders the launch specs. @default 'karpenter' */
    capacityEngine: z.enum(CAPACITY_ENGINES).default('karpenter'),
    /** Taint the system nodes `CriticalAddonsOnly=true:NoSchedule` so only controllers run there. @default true */
    systemNodesTaint: z.boolean().default(true),
    /** System nodes as an Auto Scaling group (`asg`) or an EKS managed node group (`managed`). @default 'asg' */
    systemNodeGroup: z.enum(['asg', 'managed']).default('asg'),
    /** Spot by NetApp account id (`act-…`), for the `spotinst` engine; the token comes from TF_VAR_spotinst_token. */
    spotinstAccount: z.string().regex(/^act-[0-9a-f]{8}$/, 'must be a Spot account id such as act-12345678').optional(),
    /** Monitoring system in which the termination handler disables a dying host. @default 'none' */
    monitoringProvider: z.enum(MONITORING_PROVIDERS).default('none'),
    /** Secrets Manager secret ARN holding the monitoring credentials (required unless provider is none). */
    monitoringSecretArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN').optional(),
    /** Webhook URL for the `webhook` monitoring provider. */
    monitoringWebhookUrl: z.string().url('must be an https URL').startsWith('https://', 'must use https').optional(),
    /** E-mail addresses subscribed to the interruption summary topic. @default [] */
    notificationEmails: z.array(z.string().email('must be e-mail addresses')).default([]),
    /** node-manager container image. @default - `<ECR repository>:<nodeManagerImageTag>` */
    nodeManagerImage: z.string().min(1).optional(),
    /** Tag of the node-manager image in our ECR repository. @default '0.1.0' */
    nodeManagerImageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'must be a valid image tag').default('0.1.0'),
    /**
     * Signals that take an instance out of service, the others being only reported: passed to both
     * node-manager (`ACT_ON` of the DaemonSet) and the termination Lambda (`ACT_ON` for EventBridge events).
     * @default ['spot-interruption', 'asg-termination', 'instance-state-change']
     */
    actOn: z
      .array(z.enum(ACT_ON_SIGNALS as [SignalKind, ...SignalKind[]], { message: `must be one of ${ACT_ON_SIGNALS.join(', ')}` }), {
        message: `must be a list of ${ACT_ON_SIGNALS.join(', ')}`,
      })
      .min(1, `must list at least one of ${ACT_ON_SIGNALS.join(', ')}`)
      .default([...DEFAULT_ACT_ON]),
    /** Cordon and drain a node on notice. @default true */
    nodeManagerDrain: z.boolean().default(true),
    /** Cordon and taint on notice but evict nothing (needs nodeManagerDrain). @default false */
    nodeManagerCordonOnly: z.boolean().default(false),
    /** node-manager labels its node `node-lifecycle: spot|on-demand` from IMDS at start. @default true */
    nodeManagerLabelLifecycle: z.boolean().default(true),
    /** Effect of the interruption taint. @default 'NoSchedule' */
    nodeManagerTaintEffect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).default('NoSchedule'),
    /** Grace period of each evicted pod, seconds (0–3600). @default - each pod's own */
    nodeManagerPodGracePeriodSeconds: z.number().int('must be a whole number').min(0).max(3600).optional(),
    /** Longest a drain may take from the notice, seconds (10–86400). @default - until the notice's action time */
    nodeManagerNodeGracePeriodSeconds: z.number().int('must be a whole number').min(10).max(86_400).optional(),
    /** A Kubernetes Event on the Node per node-manager action. @default true */
    nodeManagerEmitEvents: z.boolean().default(true),
    /** Port of node-manager's /healthz and /metrics on the node IP (1024–65535). @default 9400 */
    nodeManagerMetricsPort: z.number().int('must be a whole number').min(1024).max(65_535).default(9400),
    /** Secret (in the node-manager namespace, key `url`) holding an operator webhook URL posted per action. @default - none */
    nodeManagerWebhookSecretName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Secret name (lower-case DNS name)').optional(),
    /** Terraform state: local files, or S3 with a native lock file. @default 'local' */
    backend: z.enum(['local', 's3']).default('local'),
    /** S3 state bucket (required with backend s3). */
    stateBucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name').optional(),
    /** Key prefix of the state objects. @default 'spot-ready-eks' */
    stateKeyPrefix: z.string().default('spot-ready-eks'),
    /** Region of the state bucket. @default - `region` */
    stateRegion: z.string().optional(),
  })
  .strict();

export const platformConfigSchema = fields.superRefine((c, ctx) => {
    const need = (when: boolean, path: string, message: string) => when && ctx.addIssue({ code: 'custom', path: [path], message });
    need(c.backend === 's3' && !c.stateBucket, 'stateBucket', 'is required when backend is "s3" (set SPOT_EKS_STATE_BUCKET)');
    need(!!c.existingVpcId && !c.existingPrivateSubnetIds?.length, 'existingPrivateSubnetIds', 'is required with existingVpcId (at least two subnet ids)');
    need(c.monitoringProvider !== 'none' && !c.monitoringSecretArn, 'monitoringSecretArn', `is required when monitoringProvider is "${c.monitoringProvider}"`);
    need(c.capacityEngine === 'spotinst' && !c.spotinstAccount, 'spotinstAccount', 'is required when capacityEngine is "spotinst" (set SPOT_EKS_SPOTINST_ACCOUNT)');
    need(c.monitoringProvider === 'webhook' && !c.monitoringWebhookUrl, 'monitoringWebhookUrl', 'is required when monitoringProvider is "webhook"');
    need(c.nodeManagerCordonOnly && !c.nodeManagerDrain, 'nodeManagerCordonOnly', 'needs nodeManagerDrain: true (cordon-only still cordons the node)');
  });

export type PlatformConfig = z.output<typeof platformConfigSchema>;
export type PlatformConfigInput = z.input<typeof platformConfigSchema>;

/** Thrown before synthesis for an invalid config; the message names every bad field. */
export class PlatformConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid platform config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlatformConfigError';
  }
}

const KEYS = Object.keys(fields.shape) as (keyof PlatformConfigInput)[];

/** `clusterName` → `SPOT_EKS_CLUSTER_NAME`. */
export function envVarName(key: string): string {
  return `SPOT_EKS_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** Parses an environment string by the shape the field expects (number, boolean, list or text). */
function fromEnv(key: keyof PlatformConfigInput, raw: string): unknown {
  let field: z.ZodType = fields.shape[key];
  while (field instanceof z.ZodDefault || field instanceof z.ZodOptional) field = field.unwrap() as z.ZodType;
  const kind = field.def.type;
  if (kind === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (kind === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (kind === 'array') return raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (kind === 'record') return parseJsonOr(raw);
  return raw;
}

function parseJsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw; // the schema reports it, naming the variable
  }
}

/**
 * Merges defaults < context < environment and validates. `context` reads cdktf.json context keys.
 * Throws {@link PlatformConfigError} naming each bad field and where it came from.
 */
export function loadPlatformConfig(
  context: (key: string) => unknown = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): PlatformConfig {
  const input: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const key of KEYS) {
    const fromContext = context(key);
    if (fromContext !== undefined) [input[key], origin[key]] = [fromContext, 'cdktf.json context'];
    const raw = env[envVarName(key)];
    if (raw !== undefined) [input[key], origin[key]] = [fromEnv(key, raw), envVarName(key)];
  }
  return validatePlatformConfig(input, origin);
}

/** Validates a config object (defaults filled in) or throws {@link PlatformConfigError}. */
export function validatePlatformConfig(input: PlatformConfigInput | Record<string, unknown>, origin: Record<string, string> = {}): PlatformConfig {
  const result = platformConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new PlatformConfigError(
    result.error.issues.map((issue) => {
      const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(config)');
      const from = origin[String(issue.path[0])] ? ` (from ${origin[String(issue.path[0])]})` : '';
      return `${field}${from}: ${issue.message}`;
    }),
  );
}
