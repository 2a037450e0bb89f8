/**
 * The ONE typed platform config: defaults here, overridden by cdktf.json context (`"context"`
 * keys of the same names), then CDKTF_CONTEXT_JSON, then `-c key=value`, then `SPOT_EKS_*`
 * environment variables (cdktf-context.ts and config-sources.ts read them). Validated before anything is synthesized, with errors
 * that name the field, what AWS accepts and the fix.
 *
 * Adding a field: add it to `fields` below with TSDoc and `@default`, nothing else. `.strict()` and
 * the loader derive the accepted context keys and `SPOT_EKS_*` names from this object, so a new field
 * is strict everywhere and misspellings of it are suggested. A nested object field uses
 * `z.strictObject` (zod's `z.object` drops unknown keys silently). Environment strings are parsed
 * by the field's type (number, boolean, array, object: see `parseSettingString`). A field that needs
 * AWS's own rules (a list of values, a size) checks them here (`.refine`) or in `crossFieldRules`.
 */
import { z } from 'zod';
import { ACT_ON_SIGNALS, DEFAULT_ACT_ON } from '../../contract/act-on';
import { REDELIVERY_MAX_PAUSE_MS, REDELIVERY_PAUSE_MS } from '../../contract/redelivery';
import type { SignalKind } from '../../contract/signal-kinds';
import { isOpenToWorld, openToWorldMessage } from '../network/cidr';
import { accessEntriesSchema, addonConfigurationSchema, fargateProfilesSchema, securityGroupRulesSchema, tagsSchema } from '../cluster/cluster-options-schema';
import { TAINT_EFFECTS } from '../capacity/kubernetes-syntax';
import { unknownFieldProblems, LAUNCH_SPEC_SHAPE } from '../capacity/launch-spec-keys';
import { validateLaunchSpecs } from '../capacity/validate-launch-spec';
import type { LaunchSpec } from '../capacity/launch-spec';
import { unknownKeyMessage } from '../closest';
import {
  AWS_REGIONS, DATADOG_API_HOSTS, DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, LOG_RETENTION_DAYS, subnetPlan,
} from './aws-values';

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const cidr = () => z.string().regex(CIDR, 'must be an IPv4 CIDR such as 10.0.0.0/16');
const region = (what: string) =>
  z.string().refine((r) => (AWS_REGIONS as readonly string[]).includes(r), {
    message: `must be an AWS region EKS runs in (${what}), such as eu-west-1; known regions: ${AWS_REGIONS.join(', ')} (constructs/platform/aws-values.ts)`,
  });
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
    region: region('the stacks').default('eu-west-1'),
    /**
     * Kubernetes minor version, one of the EKS release calendar in aws-values.ts. A version past
     * standard support synthesizes with a warning; one past extended support fails.
     * @default '1.35' (in standard support until 2027-03-27)
     */
    kubernetesVersion: z
      .string()
      .refine((v) => KUBERNETES_VERSIONS.some((r) => r.version === v), {
        message: `must be a Kubernetes version EKS offers: ${KUBERNETES_VERSIONS.map((r) => r.version).join(', ')} (the EKS release calendar in constructs/platform/aws-values.ts; add a row there for a newer release)`,
      })
      .default(DEFAULT_KUBERNETES_VERSION),
    /**
     * EKS upgrade policy (`upgrade_policy.support_type`): `STANDARD` upgrades the control plane at the
     * end of standard support; `EXTENDED` keeps the version for 12 more months at the extended-support rate.
     * @default 'STANDARD'
     */
    upgradePolicy: z.enum(['STANDARD', 'EXTENDED']).default('STANDARD'),
    /** VPC CIDR (ignored with `existingVpcId`). @default '10.0.0.0/16' */
    vpcCidr: cidr().default('10.0.0.0/16'),
    /** Availability zones to spread subnets over; EKS needs at least 2. @default 3 */
    azCount: z.number().int('must be a whole number').min(2, 'must be at least 2 (EKS needs subnets in two AZs)').max(6, 'must be at most 6').default(3),
    /** Use an existing VPC instead of creating one. @default - a new VPC */
    existingVpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id such as vpc-0123456789abcdef0').optional(),
    /** Private subnet ids of the existing VPC (required with `existingVpcId`). */
    existingPrivateSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be subnet ids such as subnet-0123456789abcdef0'))
      .refine((ids) => new Set(ids).size >= 2, { message: 'needs at least two different subnet ids, in two availability zones (EKS places its control-plane interfaces in at least two AZs)' })
      .optional(),
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
    /** Days to keep control-plane, flow, Lambda and drill logs (a year: what audits and scanners expect); one of CloudWatch's values. @default 365 */
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { message: `must be one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(', ')}` })
      .default(365),
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
    /** Datadog API host of the organisation's site (EU organisations: `api.datadoghq.eu`), for the `datadog` provider. @default 'api.datadoghq.com' */
    datadogSite: z.enum(DATADOG_API_HOSTS).default('api.datadoghq.com'),
    /** What the `mackerel` provider does to a dying host: `maintenance` (alerts suppressed) or `retire`. @default 'maintenance' */
    mackerelAction: z.enum(['maintenance', 'retire']).default('maintenance'),
    /** Webhook URL for the `webhook` monitoring provider. */
    monitoringWebhookUrl: z.string().url('must be an https URL').startsWith('https://', 'must use https').optional(),
    /** E-mail addresses subscribed to the interruption summary topic. @default [] */
    notificationEmails: z.array(z.string().email('must be e-mail addresses')).default([]),
    /** node-manager container image. @default - `<ECR repository>:<nodeManagerImageTag>` */
    nodeManagerImage: z.string().min(1).optional(),
    /** Tag of the node-manager image in our ECR repository. @default '0.1.0' */
    nodeManagerImageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'must be a valid image tag').default('0.1.0'),
    /**
     * Build and push the node-manager image into the ECR repository while `cluster` is applied (needs
     * Docker with buildx and the AWS CLI where you deploy); ignored with `nodeManagerImage`.
     * @default true
     */
    nodeManagerImageBuild: z.boolean().default(true),
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
    nodeManagerTaintEffect: z.enum(TAINT_EFFECTS).default('NoSchedule'),
    /** Grace period of each evicted pod, seconds (0–3600). @default - each pod's own */
    nodeManagerPodGracePeriodSeconds: z.number().int('must be a whole number').min(0).max(3600).optional(),
    /** Longest a drain may take from the notice, seconds (10–86400). @default - until the notice's action time */
    nodeManagerNodeGracePeriodSeconds: z.number().int('must be a whole number').min(10).max(86_400).optional(),
    /** How often node-manager polls IMDS, milliseconds (100–60000). @default 2000 */
    nodeManagerPollIntervalMs: z.number().int('must be a whole number').min(100).max(60_000).optional(),
    /** First pause before node-manager re-delivers a notice the Lambda did not accept, milliseconds (100–60000); doubles per round. @default 1000 */
    nodeManagerRedeliveryPauseMs: z.number().int('must be a whole number').min(REDELIVERY_PAUSE_MS.min).max(REDELIVERY_PAUSE_MS.max).optional(),
    /** Longest pause between re-deliveries of one notice, milliseconds (100–600000, at least nodeManagerRedeliveryPauseMs). @default 30000 */
    nodeManagerRedeliveryMaxPauseMs: z.number().int('must be a whole number').min(REDELIVERY_MAX_PAUSE_MS.min).max(REDELIVERY_MAX_PAUSE_MS.max).optional(),
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
    stateRegion: region('the state bucket').optional(),
    /**
     * Worker launch specs (JSON in `SPOT_EKS_LAUNCH_SPECS` or context), each checked like a
     * construct's, unknown fields included. @default - PLATFORM_LAUNCH_SPECS (general CPU and GPU)
     */
    launchSpecs: z.array(z.record(z.string(), z.unknown())).min(1, 'needs at least one launch spec').optional(),
  })
  .strict();

export const platformConfigSchema = fields.superRefine(crossFieldRules);

function crossFieldRules(c: z.output<typeof fields>, ctx: z.RefinementCtx): void {
  const need = (when: boolean, path: string, message: string) => when && ctx.addIssue({ code: 'custom', path: [path], message });
  need(c.backend === 's3' && !c.stateBucket, 'stateBucket', 'is required when backend is "s3" (set SPOT_EKS_STATE_BUCKET)');
  need(!!c.existingVpcId && !c.existingPrivateSubnetIds?.length, 'existingPrivateSubnetIds', 'is required with existingVpcId (at least two subnet ids)');
  need(c.monitoringProvider !== 'none' && !c.monitoringSecretArn, 'monitoringSecretArn', `is required when monitoringProvider is "${c.monitoringProvider}"`);
  need(c.capacityEngine === 'spotinst' && !c.spotinstAccount, 'spotinstAccount', 'is required when capacityEngine is "spotinst" (set SPOT_EKS_SPOTINST_ACCOUNT)');
  need(c.monitoringProvider === 'webhook' && !c.monitoringWebhookUrl, 'monitoringWebhookUrl', 'is required when monitoringProvider is "webhook"');
  need(c.nodeManagerCordonOnly && !c.nodeManagerDrain, 'nodeManagerCordonOnly', 'needs nodeManagerDrain: true (cordon-only still cordons the node)');
  const [pause, maxPause] = [c.nodeManagerRedeliveryPauseMs ?? REDELIVERY_PAUSE_MS.default, c.nodeManagerRedeliveryMaxPauseMs ?? REDELIVERY_MAX_PAUSE_MS.default];
  need(maxPause < pause, 'nodeManagerRedeliveryMaxPauseMs', `must be at least nodeManagerRedeliveryPauseMs (${pause}): raise it, or lower the pause`);
  if (!c.existingVpcId) for (const problem of subnetPlan(c.vpcCidr).problems) need(true, 'vpcCidr', problem);
  if (c.launchSpecs) {
    const unknown = c.launchSpecs.flatMap((spec, i) => unknownFieldProblems(spec, LAUNCH_SPEC_SHAPE, `launchSpecs[${i}]`));
    unknown.forEach((problem) => need(true, 'launchSpecs', problem.replace(/^launchSpecs/, '')));
    if (unknown.length === 0) {
      try {
        validateLaunchSpecs(c.launchSpecs as unknown as LaunchSpec[], 'launchSpecs');
      } catch (error) {
        need(true, 'launchSpecs', (error as Error).message);
      }
    }
  }
}

export type PlatformConfig = z.output<typeof platformConfigSchema>;
export type PlatformConfigInput = z.input<typeof platformConfigSchema>;

/** Thrown before synthesis for an invalid config; the message names every bad field. */
export class PlatformConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid platform config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlatformConfigError';
  }
}

/** Every config field name, as context keys and props use them. */
export const PLATFORM_CONFIG_KEYS = Object.keys(fields.shape) as (keyof PlatformConfigInput)[];

/** The zod type of one field, for parsing environment strings by shape. */
export function fieldKind(key: keyof PlatformConfigInput): string {
  let field: z.ZodType = fields.shape[key];
  while (field instanceof z.ZodDefault || field instanceof z.ZodOptional) field = field.unwrap() as z.ZodType;
  return field.def.type;
}

/** Validates a config object (defaults filled in) or throws {@link PlatformConfigError}. */
export function validatePlatformConfig(input: PlatformConfigInput | Record<string, unknown>, origin: Record<string, string> = {}): PlatformConfig {
  const result = platformConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new PlatformConfigError(
    result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `${key}${origin[key] ? ` (from ${origin[key]})` : ''}: ${unknownKeyMessage(key, PLATFORM_CONFIG_KEYS)}`);
      }
      const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(config)';
      const from = origin[String(issue.path[0])] ? ` (from ${origin[String(issue.path[0])]})` : '';
      const message = issue.code === 'invalid_value' && 'values' in issue ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : issue.message;
      return [`${field}${from}: ${message}`];
    }),
  );
}

export { loadPlatformConfig, envVarName, type PlatformConfigLoadOptions } from './config-sources';
