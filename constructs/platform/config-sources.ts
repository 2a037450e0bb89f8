/**
 * Reading the platform config from its sources, strictly: every context key and every `SPOT_EKS_*`
 * variable must name a field (an unknown one fails, naming the closest known one).
 *
 * Precedence: defaults < context (cdktf.json "context" < CDKTF_CONTEXT_JSON < `-c key=value`,
 * merged by cdktf-context.ts) < `SPOT_EKS_*` environment variables.
 */
import { FROM_SOURCE_ENV } from '../assets/prebuilt';
import { unknownKeyMessage } from '../closest';
import { KARPENTER_MAX_KUBERNETES, kubernetesSupport, minorAtMost } from './aws-values';
import { KARPENTER_VERSION } from '../capacity/engines/karpenter/version';
import { CDKTF_INTERNAL_CONTEXT_KEYS } from './cdktf-context';
import { fieldKind, PLATFORM_CONFIG_KEYS, PlatformConfig, PlatformConfigError, PlatformConfigInput, validatePlatformConfig } from './config';

/** `SPOT_EKS_*` variables the constructs read themselves, not platform settings: never "unknown". */
const LIBRARY_SWITCHES: readonly string[] = [FROM_SOURCE_ENV];

/** `clusterName` → `SPOT_EKS_CLUSTER_NAME`. */
export function envVarName(key: string): string {
  return `SPOT_EKS_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/**
 * A string from the environment or `-c key=value`, parsed by the shape the field expects: numbers,
 * `true`/`false`, lists as JSON (`["a","b"]`) or comma-separated, objects and launch specs as JSON.
 * A string that does not parse is returned as is, so the schema reports it against the field.
 */
export function parseSettingString(key: keyof PlatformConfigInput, raw: string): unknown {
  const kind = fieldKind(key);
  const json = (): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  };
  if (kind === 'number') return raw.trim() === '' || Number.isNaN(Number(raw)) ? raw : Number(raw);
  if (kind === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (kind === 'array') return raw.trim().startsWith('[') ? json() : raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (kind === 'object' || kind === 'record') return json();
  return raw;
}

export interface PlatformConfigLoadOptions {
  /** Today, `YYYY-MM-DD` (UTC), for the Kubernetes support check. @default - the current date */
  readonly today?: string;
  /** Where warnings go (a version past standard support). @default console.warn */
  readonly warn?: (message: string) => void;
  /** Where each context key came from, for error messages. @default - "context" */
  readonly contextOrigin?: Record<string, string>;
}

/**
 * Merges defaults < context < environment and validates. `context` is the merged context object
 * (readCdktfContext), every key of which must be a config field; a function (as in
 * `(key) => app.node.tryGetContext(key)`) is read for the known keys only.
 * Throws {@link PlatformConfigError} naming each bad field and where it came from.
 */
export function loadPlatformConfig(
  context: Record<string, unknown> | ((key: string) => unknown) = {},
  env: NodeJS.ProcessEnv = process.env,
  options: PlatformConfigLoadOptions = {},
): PlatformConfig {
  const input: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  const problems: string[] = [];
  const set = (key: string, value: unknown, from: string) => {
    input[key] = typeof value === 'string' && (PLATFORM_CONFIG_KEYS as string[]).includes(key) ? parseSettingString(key as keyof PlatformConfigInput, value) : value;
    origin[key] = from;
  };
  if (typeof context === 'function') {
    for (const key of PLATFORM_CONFIG_KEYS) if (context(key) !== undefined) set(key, context(key), 'context');
  } else {
    for (const [key, value] of Object.entries(context)) {
      if (CDKTF_INTERNAL_CONTEXT_KEYS.includes(key) || value === undefined) continue;
      const from = options.contextOrigin?.[key] ?? 'context';
      if ((PLATFORM_CONFIG_KEYS as string[]).includes(key)) set(key, value, from);
      else problems.push(`${key} (from ${from}): ${unknownKeyMessage(key, PLATFORM_CONFIG_KEYS)}`);
    }
  }
  const envNames = new Map(PLATFORM_CONFIG_KEYS.map((key) => [envVarName(key), key]));
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('SPOT_EKS_') || raw === undefined || LIBRARY_SWITCHES.includes(name)) continue;
    const key = envNames.get(name);
    if (key) set(key, raw, name);
    else problems.push(`${name}: ${unknownKeyMessage(name, [...envNames.keys()])}`);
  }
  let config: PlatformConfig | undefined;
  try {
    config = validatePlatformConfig(input, origin);
  } catch (error) {
    if (!(error instanceof PlatformConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (config) problems.push(...kubernetesSupportProblems(config, options, origin));
  if (problems.length > 0 || !config) throw new PlatformConfigError(problems);
  return config;
}

/** A version past extended support fails (EKS no longer creates it); past standard support warns. */
export function kubernetesSupportProblems(config: PlatformConfig, options: PlatformConfigLoadOptions = {}, origin: Record<string, string> = {}): string[] {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const { status, row } = kubernetesSupport(config.kubernetesVersion, today);
  const field = `kubernetesVersion${origin.kubernetesVersion ? ` (from ${origin.kubernetesVersion})` : ''}`;
  if (status === 'ended' && row) {
    return [`${field}: ${row.version} reached the end of extended support on ${row.endOfExtendedSupport}; EKS no longer creates clusters on it. Use a version in standard support (see constructs/platform/aws-values.ts)`];
  }
  const karpenterMinor = KARPENTER_VERSION.split('.').slice(0, 2).join('.');
  const karpenterMax = KARPENTER_MAX_KUBERNETES[karpenterMinor];
  if (config.capacityEngine === 'karpenter' && (!karpenterMax || !minorAtMost(config.kubernetesVersion, karpenterMax))) {
    (options.warn ?? console.warn)(
      `Warning: Karpenter ${KARPENTER_VERSION} supports Kubernetes up to ${karpenterMax ?? '(unknown: add it to KARPENTER_MAX_KUBERNETES)'}, not ${config.kubernetesVersion}; upgrade KARPENTER_VERSION or choose an older kubernetesVersion.`,
    );
  }
  if (status === 'extended' && row) {
    const outcome =
      config.upgradePolicy === 'STANDARD'
        ? 'with upgradePolicy STANDARD, EKS upgrades the control plane to the next version on its own'
        : `with upgradePolicy EXTENDED the cluster is billed at the extended-support rate until ${row.endOfExtendedSupport}`;
    (options.warn ?? console.warn)(`Warning: kubernetesVersion ${row.version} left EKS standard support on ${row.endOfStandardSupport}; ${outcome}. Choose a newer version to stay in standard support.`);
  }
  return [];
}
