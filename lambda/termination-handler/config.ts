/**
 * The handler's configuration, read from the environment and validated with zod once per container
 * (on the first invocation, so the bundle can be imported and tests can set the environment first).
 * A bad value fails every invocation with an error naming the variable and the fix.
 */
import { DEFAULT_RESERVED_SHARE } from './pacing/limits';
import * as z from './zod';
import { DEFAULT_EVENT_ACT_ON, isSignalKind } from './act-on';
import { SIGNAL_KINDS, type SignalKind } from '../../contract/interruption-notice';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SECURE_URL_MESSAGE = 'must be an https:// URL (http:// is accepted only for 127.0.0.1/localhost)';

/** https everywhere; plain http only to a loopback address (local fakes in tests). */
const secureUrl = z.url(SECURE_URL_MESSAGE).check(
  z.refine((value) => {
    // zod runs every check, so a value z.url() rejected reaches this one too: it is reported already.
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  }, SECURE_URL_MESSAGE),
);

/** zod's own message for a missing variable reads 'expected string, received undefined'; say it plainly. */
const required = { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a string') };

const positiveInt = (fallback: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(max)), fallback);

const envSchema = z
  .object({
    CLUSTER_NAME: z.string(required).check(z.minLength(1, 'must name the EKS cluster')),
    CLUSTER_TAG_KEY: z.optional(z.string().check(z.minLength(1))),
    QUARANTINE_SECURITY_GROUP_ID: z.string(required).check(z.regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id such as sg-0123456789abcdef0')),
    SUMMARY_TOPIC_ARN: z.string(required).check(z.regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN')),
    STATE_TABLE_NAME: z.string(required).check(z.regex(/^[\w.-]{3,255}$/, 'must be a DynamoDB table name')),
    NOTICE_WINDOW_SECONDS: positiveInt(120, 3600),
    DEREGISTER_CONCURRENCY: positiveInt(16, 64),
    CONFIRM_ATTEMPTS: positiveInt(3, 10),
    ACT_ON: z._default(
      z.string().check(
        z.refine((v) => v.split(',').every((s) => isSignalKind(s.trim())), `must be a comma-separated list of ${SIGNAL_KINDS.join(', ')}`),
      ),
      DEFAULT_EVENT_ACT_ON.join(','),
    ),
    CONFIRM_INTERVAL_MS: positiveInt(1000, 10_000),
    API_RESERVED_SHARE: z._default(
      z.coerce.number().check(z.gte(0, 'must be a share from 0 to 0.95'), z.lte(0.95, 'must be a share from 0 to 0.95')),
      DEFAULT_RESERVED_SHARE,
    ),
    WAVE_LEASE_SECONDS: positiveInt(15, 300),
    FUNCTION_TIMEOUT_SECONDS: positiveInt(180, 900),
    TARGET_GROUP_DISCOVERY: z._default(z.enum(['vpc', 'cluster-tag']), 'vpc'),
    TARGET_GROUP_ARNS: z.optional(z.string().check(z.regex(
      /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[\w-]+\/[0-9a-f]+(,arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[\w-]+\/[0-9a-f]+)*$/,
      'must be target group ARNs separated by commas, e.g. arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef',
    ))),
    MONITORING_PROVIDER: z._default(z.enum(['none', 'datadog', 'mackerel', 'webhook']), 'none'),
    MONITORING_SECRET_ARN: z.optional(
      z.string().check(z.regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN')),
    ),
    DATADOG_API_URL: z._default(secureUrl, 'https://api.datadoghq.com'),
    MACKEREL_API_URL: z._default(secureUrl, 'https://api.mackerelio.com'),
    MACKEREL_ACTION: z._default(z.enum(['maintenance', 'retire']), 'maintenance'),
    WEBHOOK_URL: z.optional(secureUrl),
  })
  .check(
    z.superRefine((env, ctx) => {
      if (env.MONITORING_PROVIDER !== 'none' && !env.MONITORING_SECRET_ARN) {
        ctx.addIssue({
          code: 'custom',
          path: ['MONITORING_SECRET_ARN'],
          message: `is required when MONITORING_PROVIDER is ${env.MONITORING_PROVIDER} (the secret holds its credentials)`,
        });
      }
      if (env.MONITORING_PROVIDER === 'webhook' && !env.WEBHOOK_URL) {
        ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'is required when MONITORING_PROVIDER is webhook' });
      }
    }),
  );

export type MonitoringProvider = z.infer<typeof envSchema>['MONITORING_PROVIDER'];

export interface Config {
  readonly clusterName: string;
  /** Instances must carry this tag (value `owned` or `shared`) to be touched. */
  readonly clusterTagKey: string;
  readonly quarantineSecurityGroupId: string;
  readonly summaryTopicArn: string;
  readonly stateTableName: string;
  readonly noticeWindowSeconds: number;
  readonly deregisterConcurrency: number;
  /** How many times an unconfirmed notice is asked about before it is refused (AWS is eventually consistent). */
  readonly confirmAttempts: number;
  /** Pause between those attempts, in ms. */
  readonly confirmIntervalMs: number;
  /** EventBridge-delivered signals acted on; the others are reported only. */
  readonly actOn: ReadonlySet<SignalKind>;
  /** Share of each AWS API bucket left to the rest of the account (see ./pacing). */
  readonly apiReservedShare: number;
  /** How long a wave leader's lease lasts without renewal (see ./waves). */
  readonly waveLeaseSeconds: number;
  /** The function's timeout: how long a waiting invocation can stand behind its notice. */
  readonly functionTimeoutSeconds: number;
  /** `vpc`: read every target group of the node's VPC; `cluster-tag`: the controller's groups of this cluster, plus `extraTargetGroupArns`. */
  readonly targetGroupDiscovery: 'vpc' | 'cluster-tag';
  readonly extraTargetGroupArns: readonly string[];
  readonly monitoring: {
    readonly provider: MonitoringProvider;
    readonly secretArn?: string;
    readonly datadogApiUrl: string;
    readonly mackerelApiUrl: string;
    readonly mackerelAction: 'maintenance' | 'retire';
    readonly webhookUrl?: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`termination handler configuration is invalid: ${issues.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates an environment (defaults to `process.env`) into a {@link Config}, or throws {@link ConfigError}. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Terraform often sets an unused optional variable to ''; treat blank as unset so defaults apply.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `environment variable ${i.path.join('.') || '(root)'} ${i.message}`),
    );
  }
  const e = parsed.data;
  return {
    clusterName: e.CLUSTER_NAME,
    clusterTagKey: e.CLUSTER_TAG_KEY ?? `kubernetes.io/cluster/${e.CLUSTER_NAME}`,
    quarantineSecurityGroupId: e.QUARANTINE_SECURITY_GROUP_ID,
    summaryTopicArn: e.SUMMARY_TOPIC_ARN,
    stateTableName: e.STATE_TABLE_NAME,
    noticeWindowSeconds: e.NOTICE_WINDOW_SECONDS,
    deregisterConcurrency: e.DEREGISTER_CONCURRENCY,
    confirmAttempts: e.CONFIRM_ATTEMPTS,
    confirmIntervalMs: e.CONFIRM_INTERVAL_MS,
    actOn: new Set(e.ACT_ON.split(',').map((s) => s.trim()).filter(isSignalKind)),
    apiReservedShare: e.API_RESERVED_SHARE,
    waveLeaseSeconds: e.WAVE_LEASE_SECONDS,
    functionTimeoutSeconds: e.FUNCTION_TIMEOUT_SECONDS,
    targetGroupDiscovery: e.TARGET_GROUP_DISCOVERY,
    extraTargetGroupArns: e.TARGET_GROUP_ARNS?.split(',') ?? [],
    monitoring: {
      provider: e.MONITORING_PROVIDER,
      secretArn: e.MONITORING_SECRET_ARN,
      datadogApiUrl: e.DATADOG_API_URL,
      mackerelApiUrl: e.MACKEREL_API_URL,
      mackerelAction: e.MACKEREL_ACTION,
      webhookUrl: e.WEBHOOK_URL,
    },
  };
}
