/**
 * What AWS and Terraform accept, for the values the platform config passes through: checked at
 * synth so that a bad value fails with its field name instead of at apply.
 */

/** The values `retention_in_days` / PutRetentionPolicy accept (CloudWatch Logs API reference). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** One row of the Amazon EKS Kubernetes release calendar (dates UTC, `YYYY-MM-DD`). */
export interface KubernetesVersionSupport {
  readonly version: string;
  readonly eksRelease: string;
  /** Extended-support billing starts at the beginning of this day. */
  readonly endOfStandardSupport: string;
  /** After this day EKS no longer creates clusters on the version. */
  readonly endOfExtendedSupport: string;
}

/**
 * The Amazon EKS Kubernetes release calendar
 * (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar).
 * Maintained by hand: add a row when EKS releases a version (with its dates from that table), and
 * move {@link DEFAULT_KUBERNETES_VERSION} when the default leaves standard support.
 */
export const KUBERNETES_VERSIONS: readonly KubernetesVersionSupport[] = [
  { version: '1.35', eksRelease: '2026-01-27', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
  { version: '1.34', eksRelease: '2025-10-02', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.33', eksRelease: '2025-05-29', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.32', eksRelease: '2025-01-23', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.31', eksRelease: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
];

/** The newest version in the table: in standard support until 2027-03-27. */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

export type KubernetesSupportStatus = 'standard' | 'extended' | 'ended' | 'unknown';

/** Where `version` stands on `today` (`YYYY-MM-DD`). */
export function kubernetesSupport(version: string, today: string): { status: KubernetesSupportStatus; row?: KubernetesVersionSupport } {
  const row = KUBERNETES_VERSIONS.find((r) => r.version === version);
  if (!row) return { status: 'unknown' };
  if (today < row.endOfStandardSupport) return { status: 'standard', row };
  return { status: today < row.endOfExtendedSupport ? 'extended' : 'ended', row };
}

/**
 * The newest Kubernetes minor each Karpenter minor supports (Karpenter's compatibility matrix,
 * karpenter.sh "Compatibility"). Add a row with each Karpenter upgrade.
 */
export const KARPENTER_MAX_KUBERNETES: Readonly<Record<string, string>> = {
  '1.6': '1.34', '1.7': '1.34', '1.8': '1.34', '1.9': '1.35', '1.10': '1.35', '1.11': '1.35',
};

/** `1.9` < `1.35`: Kubernetes minors compared as numbers. */
export function minorAtMost(version: string, max: string): boolean {
  const [a, b] = [version, max].map((v) => Number(v.split('.')[1]));
  return a <= b;
}

/**
 * Regions EKS runs in: commercial, AWS GovCloud (US) and China partitions. A region launched later
 * is added here; until then the message says so.
 */
export const AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
  'us-gov-east-1', 'us-gov-west-1',
  'cn-north-1', 'cn-northwest-1',
] as const;

/** Datadog API hosts, one per Datadog site (the site of an organisation is in its URL). */
export const DATADOG_API_HOSTS = [
  'api.datadoghq.com', 'api.us3.datadoghq.com', 'api.us5.datadoghq.com', 'api.datadoghq.eu',
  'api.ap1.datadoghq.com', 'api.ap2.datadoghq.com', 'api.ddog-gov.com',
] as const;

/** The smallest and largest IPv4 subnet AWS creates (VPC and subnet CIDR blocks). */
export const SUBNET_PREFIX = { largest: 16, smallest: 28 } as const;

/**
 * The new-VPC subnet plan of constructs/network/network.ts: private subnets are the first
 * `/(prefix+3)` blocks, public subnets `/(prefix+6)` blocks in the last eighth. Returns the sizes,
 * or what is wrong with the CIDR.
 */
export function subnetPlan(vpcCidr: string): { privatePrefix: number; publicPrefix: number; problems: string[] } {
  const [address, bits] = vpcCidr.split('/');
  const prefix = Number(bits);
  const problems: string[] = [];
  const plan = { privatePrefix: prefix + 3, publicPrefix: prefix + 6 };
  if (prefix < SUBNET_PREFIX.largest || prefix > SUBNET_PREFIX.smallest) {
    problems.push(`a VPC CIDR must be /${SUBNET_PREFIX.largest} to /${SUBNET_PREFIX.smallest} (AWS)`);
  } else if (plan.publicPrefix > SUBNET_PREFIX.smallest) {
    problems.push(
      `a /${prefix} VPC gives /${plan.publicPrefix} public and /${plan.privatePrefix} private subnets, and AWS's smallest subnet is /${SUBNET_PREFIX.smallest}: use /${SUBNET_PREFIX.smallest - 6} or larger (e.g. 10.0.0.0/16)`,
    );
  }
  const octets = address.split('.').map(Number);
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (prefix >= 0 && prefix <= 32 && value % 2 ** (32 - prefix) !== 0) {
    const base = value - (value % 2 ** (32 - prefix));
    const network = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.');
    problems.push(`${vpcCidr} has host bits set; Terraform accepts only the network address ${network}/${prefix}`);
  }
  return { ...plan, problems };
}
