/**
 * The daemon's whole configuration, read once from the environment and validated before anything
 * runs (like NTH's flags): a bad value stops the process with a message naming the variable.
 */
import * as z from './zod';
import { ACT_ON_SIGNALS, DEFAULT_ACT_ON } from '../../../contract/act-on';
import type { SignalKind } from '../../../contract/interruption-notice';
import { TAINT_EFFECTS, type TaintEffect } from '../../../contract/node-marks';
import { REDELIVERY_MAX_PAUSE_MS, REDELIVERY_PAUSE_MS } from '../../../contract/redelivery';
import { DEFAULT_WEBHOOK_TEMPLATE, webhookTemplateProblem } from '../../../contract/webhook-template';
import { LOG_LEVELS, type LogLevel } from './logger';

export { TAINT_EFFECTS, type TaintEffect };

export interface NodeManagerConfig {
  /** Lambda function name or ARN, passed to Invoke as `FunctionName`. */
  readonly functionName: string;
  /** From AWS_REGION / AWS_DEFAULT_REGION / the function ARN; undefined → IMDS `placement/region`. */
  readonly region?: string;
  readonly pollIntervalMs: number;
  readonly nodeName?: string;
  /** Signals that take the node out of service; every other signal is only reported. */
  readonly actOn: ReadonlySet<SignalKind>;
  readonly drainEnabled: boolean;
  /** Why draining is off when DRAIN_ENABLED was left unset (logged at start). */
  readonly drainDisabledReason?: string;
  /** Cordon and taint on notice, evict nothing. */
  readonly cordonOnly: boolean;
  /** Label the node `node-lifecycle` from IMDS `instance-life-cycle` at start. */
  readonly labelLifecycle: boolean;
  readonly taintEffect: TaintEffect;
  /** Grace period of each eviction; undefined → the pod's own. */
  readonly podGracePeriodSeconds?: number;
  /** Longest a drain may run from the notice; undefined → until the notice's deadline. */
  readonly nodeGracePeriodSeconds?: number;
  /** A Kubernetes Event on the Node per action. */
  readonly emitEvents: boolean;
  /** Operator webhook posted per action (the URL is a secret: only its host is ever logged). */
  readonly webhook?: { readonly url: string; readonly template: string };
  readonly dryRun: boolean;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  readonly imds: { readonly endpoint: string; readonly timeoutMs: number; readonly tokenTtlSeconds: number };
  /** Pause before a failed notice is delivered again (doubling per round, up to `maxPauseMs`). */
  readonly redelivery: { readonly pauseMs: number; readonly maxPauseMs: number };
  /** Kubernetes credentials for draining: a kubeconfig file, else the pod's service account. */
  readonly kubeconfigPath?: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`invalid node-manager configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:[a-zA-Z0-9_-]{1,64}(:[a-zA-Z0-9_$-]+)?$/;

function boundedNumber(unit: string, min: number, max: number) {
  const hint = `must be a whole number of ${unit} from ${min} to ${max}`;
  const digits = z.pipe(z.string().check(z.regex(/^\d+$/, hint)), z.transform(Number));
  return z.pipe(digits, z.number().check(z.gte(min, hint), z.lte(max, hint)));
}

const wholeNumber = (unit: string, min: number, max: number, fallback: number) => z._default(boundedNumber(unit, min, max), fallback);

const bool = (fallback: boolean) => z._default(z.stringbool({ error: 'must be true or false' }), fallback);

/** `pattern` must match, else `message`; the variable may be unset. */
const optionalMatching = (pattern: RegExp, message: string) => z.optional(z.string().check(z.regex(pattern, message)));

const actOn = z.pipe(
  z.pipe(
    z._default(z.string(), DEFAULT_ACT_ON.join(',')),
    z.transform((s: string) => s.split(',').map((k) => k.trim()).filter(Boolean)),
  ),
  z
    .array(z.enum(ACT_ON_SIGNALS as [SignalKind, ...SignalKind[]], { error: `each entry must be one of ${ACT_ON_SIGNALS.join(', ')}` }))
    .check(z.minLength(1, `must list at least one of ${ACT_ON_SIGNALS.join(', ')}`)),
);

const envSchema = z
  .object({
    TERMINATION_FUNCTION_NAME: optionalMatching(FUNCTION_NAME, 'must be a Lambda function name (letters, digits, - and _, at most 64)'),
    TERMINATION_FUNCTION_ARN: optionalMatching(
      FUNCTION_ARN,
      'must be a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:name',
    ),
    AWS_REGION: optionalMatching(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
    AWS_DEFAULT_REGION: z.optional(z.string()),
    POLL_INTERVAL_MS: wholeNumber('milliseconds', 100, 60_000, 2000),
    NODE_NAME: z.optional(z.string().check(z.maxLength(253))),
    ACT_ON: actOn,
    // Unset: on in a pod (or with KUBECONFIG), off elsewhere — see drainSetting().
    DRAIN_ENABLED: z.optional(z.stringbool({ error: 'must be true or false' })),
    DRY_RUN: bool(false),
    CORDON_ONLY: bool(false),
    // Unset: on wherever Kubernetes credentials exist, as DRAIN_ENABLED.
    LABEL_LIFECYCLE: z.optional(z.stringbool({ error: 'must be true or false' })),
    TAINT_EFFECT: z._default(z.enum(TAINT_EFFECTS, { error: `must be one of ${TAINT_EFFECTS.join(', ')}` }), 'NoSchedule'),
    POD_TERMINATION_GRACE_PERIOD_SECONDS: z.optional(boundedNumber('seconds', 0, 3600)),
    NODE_TERMINATION_GRACE_PERIOD_SECONDS: z.optional(boundedNumber('seconds', 10, 86_400)),
    EMIT_KUBERNETES_EVENTS: bool(true),
    // https only; plain http only to this host (a local relay, tests): the URL is a credential.
    WEBHOOK_URL: z.optional(
      z.url({ protocol: /^https?$/, error: 'must be an https URL' }).check(
        z.refine((u) => !u.startsWith('http://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u), 'must be an https URL (http only to 127.0.0.1/localhost)'),
      ),
    ),
    WEBHOOK_TEMPLATE: z._default(
      z.string().check(z.refine((t) => webhookTemplateProblem(t) === undefined, { error: (i) => webhookTemplateProblem(String(i.input)) ?? 'invalid template' })),
      DEFAULT_WEBHOOK_TEMPLATE,
    ),
    HTTP_HOST: z._default(z.string(), '0.0.0.0'),
    HTTP_PORT: wholeNumber('port', 0, 65_535, 9400),
    LOG_LEVEL: z._default(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
    AWS_EC2_METADATA_SERVICE_ENDPOINT: z._default(
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://169.254.169.254' }),
      'http://169.254.169.254',
    ),
    IMDS_TIMEOUT_MS: wholeNumber('milliseconds', 50, 30_000, 1000),
    IMDS_TOKEN_TTL_SECONDS: wholeNumber('seconds', 1, 21_600, 21_600),
    REDELIVERY_PAUSE_MS: wholeNumber('milliseconds', REDELIVERY_PAUSE_MS.min, REDELIVERY_PAUSE_MS.max, REDELIVERY_PAUSE_MS.default),
    REDELIVERY_MAX_PAUSE_MS: wholeNumber('milliseconds', REDELIVERY_MAX_PAUSE_MS.min, REDELIVERY_MAX_PAUSE_MS.max, REDELIVERY_MAX_PAUSE_MS.default),
    KUBECONFIG: z.optional(z.string()),
    KUBERNETES_SERVICE_HOST: z.optional(z.string()),
  })
  .check(
    z.superRefine((env, ctx) => {
      if (!env.TERMINATION_FUNCTION_NAME && !env.TERMINATION_FUNCTION_ARN) {
        ctx.addIssue({
          code: 'custom',
          path: ['TERMINATION_FUNCTION_NAME'],
          message: 'is required: set TERMINATION_FUNCTION_NAME (or TERMINATION_FUNCTION_ARN) to the termination Lambda',
        });
      }
      const drain = drainSetting(env).enabled;
      const label = labelSetting(env);
      const which = drain ? 'DRAIN_ENABLED=true' : 'LABEL_LIFECYCLE=true';
      if ((drain || label) && !env.NODE_NAME) {
        ctx.addIssue({
          code: 'custom',
          path: ['NODE_NAME'],
          message: `is required when ${which}: set it from the downward API (spec.nodeName), or set DRAIN_ENABLED=false and LABEL_LIFECYCLE=false`,
        });
      }
      if ((drain || label) && !env.KUBECONFIG && !env.KUBERNETES_SERVICE_HOST) {
        ctx.addIssue({
          code: 'custom',
          path: ['KUBECONFIG'],
          message: `${which} needs Kubernetes credentials: run in a pod (KUBERNETES_SERVICE_HOST) or set KUBECONFIG`,
        });
      }
      if (env.REDELIVERY_MAX_PAUSE_MS < env.REDELIVERY_PAUSE_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['REDELIVERY_MAX_PAUSE_MS'],
          message: `must be at least REDELIVERY_PAUSE_MS (${env.REDELIVERY_MAX_PAUSE_MS} < ${env.REDELIVERY_PAUSE_MS}): raise REDELIVERY_MAX_PAUSE_MS or lower REDELIVERY_PAUSE_MS`,
        });
      }
      if (env.CORDON_ONLY && !drain) {
        ctx.addIssue({ code: 'custom', path: ['CORDON_ONLY'], message: 'needs DRAIN_ENABLED=true (cordon-only still cordons): set both, or neither' });
      }
    }),
);

/**
 * Draining is on by default where it can work: in a pod (the service account) or with a KUBECONFIG.
 * Left unset anywhere else (a plain process, a test bench) the daemon still watches and invokes,
 * and says at start why it will not drain. An explicit DRAIN_ENABLED=true without credentials is
 * an error.
 */
function drainSetting(env: { DRAIN_ENABLED?: boolean; KUBECONFIG?: string; KUBERNETES_SERVICE_HOST?: string }): { enabled: boolean; reason?: string } {
  if (env.DRAIN_ENABLED !== undefined) return { enabled: env.DRAIN_ENABLED };
  if (env.KUBECONFIG || env.KUBERNETES_SERVICE_HOST) return { enabled: true };
  return { enabled: false, reason: 'DRAIN_ENABLED is unset and there are no Kubernetes credentials (not in a pod, no KUBECONFIG)' };
}

/** The lifecycle label follows the same rule as draining when LABEL_LIFECYCLE is unset. */
function labelSetting(env: { LABEL_LIFECYCLE?: boolean; KUBECONFIG?: string; KUBERNETES_SERVICE_HOST?: string }): boolean {
  return env.LABEL_LIFECYCLE ?? Boolean(env.KUBECONFIG || env.KUBERNETES_SERVICE_HOST);
}

/** Reads and validates the configuration; throws {@link ConfigError} naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): NodeManagerConfig {
  // An empty variable (common in manifests: `value: ""`) means "not set", so defaults apply.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? '(environment)')}: ${i.message}`));
  }
  const e = parsed.data;
  const arnRegion = e.TERMINATION_FUNCTION_ARN ? FUNCTION_ARN.exec(e.TERMINATION_FUNCTION_ARN)?.[1] : undefined;
  return {
    functionName: e.TERMINATION_FUNCTION_ARN ?? (e.TERMINATION_FUNCTION_NAME as string),
    region: e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? arnRegion,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    nodeName: e.NODE_NAME,
    actOn: new Set(e.ACT_ON),
    drainEnabled: drainSetting(e).enabled,
    drainDisabledReason: drainSetting(e).reason,
    cordonOnly: e.CORDON_ONLY,
    labelLifecycle: labelSetting(e),
    taintEffect: e.TAINT_EFFECT,
    podGracePeriodSeconds: e.POD_TERMINATION_GRACE_PERIOD_SECONDS,
    nodeGracePeriodSeconds: e.NODE_TERMINATION_GRACE_PERIOD_SECONDS,
    emitEvents: e.EMIT_KUBERNETES_EVENTS,
    webhook: e.WEBHOOK_URL ? { url: e.WEBHOOK_URL, template: e.WEBHOOK_TEMPLATE } : undefined,
    dryRun: e.DRY_RUN,
    httpHost: e.HTTP_HOST,
    httpPort: e.HTTP_PORT,
    logLevel: e.LOG_LEVEL,
    imds: {
      endpoint: e.AWS_EC2_METADATA_SERVICE_ENDPOINT.replace(/\/+$/, ''),
      timeoutMs: e.IMDS_TIMEOUT_MS,
      tokenTtlSeconds: e.IMDS_TOKEN_TTL_SECONDS,
    },
    redelivery: { pauseMs: e.REDELIVERY_PAUSE_MS, maxPauseMs: e.REDELIVERY_MAX_PAUSE_MS },
    kubeconfigPath: e.KUBECONFIG,
  };
}
