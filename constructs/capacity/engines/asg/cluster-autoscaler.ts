/**
 * Cluster Autoscaler for spot node groups, in two halves because the platform has two stacks:
 *
 * ```ts
 * new ClusterAutoscalerRole(clusterStack, 'autoscaler-role', { cluster });          // IAM + Pod Identity
 * new ClusterAutoscaler(workloadsStack, 'autoscaler', { clusterName, region });     // Helm release
 * ```
 *
 * The role may only scale groups tagged `k8s.io/cluster-autoscaler/<cluster>=owned` — the tag every
 * {@link SpotNodeGroup} of the cluster carries.
 */
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { IEksCluster } from '../../../cluster/cluster-reference';
import { podIdentityTrustPolicy } from '../../../iam/policy';
import { CRITICAL_ADDONS_TOLERATION, LIFECYCLE_LABEL } from '../../launch-spec';
import { autoscalerOwnerTagKey } from './autoscaler-tags';
import { terraformJson } from '../../../terraform-json';

/** Where the autoscaler runs; the Pod Identity association and the Helm release must agree. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'cluster-autoscaler' } as const;

export const CLUSTER_AUTOSCALER_CHART = {
  repository: 'https://kubernetes.github.io/autoscaler',
  chart: 'cluster-autoscaler',
  version: '9.46.6',
} as const;

export interface ClusterAutoscalerRoleProps {
  readonly cluster: IEksCluster;
}

/** The AWS half: an IAM role for EKS Pod Identity, scoped to this cluster's groups, and its association. */
export class ClusterAutoscalerRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerRoleProps) {
    super(scope, id);
    const { cluster } = props;
    const { namespace, name: serviceAccount } = CLUSTER_AUTOSCALER_SERVICE_ACCOUNT;
    const role = new IamRole(this, 'role', {
      namePrefix: 'cluster-autoscaler-',
      description: `Cluster Autoscaler of EKS cluster ${cluster.clusterName}`,
      // Pod Identity tags the session: only this cluster's autoscaler service account may assume.
      assumeRolePolicy: podIdentityTrustPolicy({ clusterArn: cluster.clusterArn, namespace, serviceAccount }),
    });
    new IamRolePolicy(this, 'policy', {
      name: 'scale-owned-node-groups',
      role: role.name,
      policy: terraformJson(clusterAutoscalerPolicy(cluster.clusterName)),
    });
    new EksPodIdentityAssociation(this, 'pod-identity', {
      clusterName: cluster.clusterName,
      namespace,
      serviceAccount,
      roleArn: role.arn,
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

/** Writes only on groups tagged as this cluster's; reads (which take no resource scope) on `*`. */
export function clusterAutoscalerPolicy(clusterName: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ScaleOwnedGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: '*',
        Condition: { StringEquals: { [`aws:ResourceTag/${autoscalerOwnerTagKey(clusterName)}`]: 'owned' } },
      },
      {
        Sid: 'DiscoverGroupsAndTypes',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: '*',
      },
    ],
  };
}

export interface ClusterAutoscalerProps {
  /** The EKS cluster name (auto-discovery matches the groups' tags with it). */
  readonly clusterName: string;
  /** The AWS region of the cluster. */
  readonly region: string;
  /** @default CLUSTER_AUTOSCALER_CHART.version */
  readonly chartVersion?: string;
  /** Match it to the cluster's Kubernetes minor version, e.g. `v1.33.0`. @default - the chart's appVersion */
  readonly imageTag?: string;
  /**
   * Priority expander tiers: priority → regexes of ASG names (higher wins), e.g.
   * `{ 50: ['.*-spot.*'], 10: ['.*'] }` to prefer spot groups. Ties fall back to least-waste.
   * More tiers can be added with {@link ClusterAutoscaler.addExpanderPriority}.
   * @default - least-waste only
   */
  readonly expanderPriorities?: Record<number, string[]>;
  /**
   * How long a node may take to register before Cluster Autoscaler gives up on it and backs off
   * the group (`max-node-provision-time`). Short, so that when spot capacity runs dry the
   * on-demand twin is tried within minutes instead of the autoscaler's 15. Leave room for the
   * slowest AMI to boot and join (GPU AMIs take a few minutes). @default '5m'
   */
  readonly maxNodeProvisionTime?: string;
}

/** A Go duration as Cluster Autoscaler's flags take it: `5m`, `90s`, `1h30m`. */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/;

/** The Kubernetes half: the Cluster Autoscaler Helm release, non-root and read-only. */
export class ClusterAutoscaler extends Construct {
  readonly release: Release;
  private readonly tiers = new Map<number, string[]>();

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    for (const [tier, patterns] of Object.entries(props.expanderPriorities ?? {})) {
      if (!/^\d+$/.test(tier) || !Array.isArray(patterns) || patterns.length === 0) {
        throw new Error(`expanderPriorities["${tier}"]: give a non-negative integer priority with at least one ASG name regex. Fix: e.g. { 50: ['.*-spot.*'] }.`);
      }
      patterns.forEach((pattern) => this.addExpanderPriority(Number(tier), pattern));
    }
    const provision = props.maxNodeProvisionTime ?? '5m';
    if (!GO_DURATION.test(provision)) {
      throw new Error(`maxNodeProvisionTime: '${provision}' is not a duration. Fix: give a Go duration such as '5m' or '300s'.`);
    }
    this.release = new Release(this, 'release', {
      name: 'cluster-autoscaler',
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      repository: CLUSTER_AUTOSCALER_CHART.repository,
      chart: CLUSTER_AUTOSCALER_CHART.chart,
      version: props.chartVersion ?? CLUSTER_AUTOSCALER_CHART.version,
      // Lazy: groups added after the release still land in the priorities ConfigMap.
      values: [Lazy.stringValue({ produce: () => stringify(clusterAutoscalerValues({ ...props, maxNodeProvisionTime: provision, expanderPriorities: this.priorities() }), { lineWidth: 0 }) })],
    });
  }

  /** Ranks the groups whose name matches `pattern` (a Go regex) at `priority`; higher wins. */
  addExpanderPriority(priority: number, pattern: string): void {
    if (!Number.isInteger(priority) || priority < 0) {
      throw new Error(`expanderPriorities["${priority}"]: give a non-negative integer priority. Fix: e.g. 50 for spot groups, 10 for on-demand.`);
    }
    this.tiers.set(priority, [...(this.tiers.get(priority) ?? []), pattern]);
  }

  private priorities(): Record<number, string[]> | undefined {
    return this.tiers.size > 0 ? Object.fromEntries(this.tiers) : undefined;
  }
}

export function clusterAutoscalerValues(props: ClusterAutoscalerProps): Record<string, unknown> {
  const priorities = props.expanderPriorities;
  return {
    cloudProvider: 'aws',
    awsRegion: props.region,
    autoDiscovery: { clusterName: props.clusterName },
    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name } },
    ...(props.imageTag ? { image: { tag: props.imageTag } } : {}),
    extraArgs: {
      expander: priorities ? 'priority,least-waste' : 'least-waste',
      'balance-similar-node-groups': true,
      // kube-system pods (CoreDNS, the autoscaler) must not pin otherwise empty nodes.
      'skip-nodes-with-system-pods': false,
      ...(props.maxNodeProvisionTime ? { 'max-node-provision-time': props.maxNodeProvisionTime } : {}),
    },
    // The chart takes the priorities ConfigMap as YAML text.
    ...(priorities ? { expanderPriorities: stringify(priorities) } : {}),
    securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    // The system nodes are tainted CriticalAddonsOnly; the autoscaler belongs there.
    tolerations: [CRITICAL_ADDONS_TOLERATION],
    // Prefer on-demand nodes: a spot interruption of the autoscaler stalls scaling for minutes.
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, preference: { matchExpressions: [{ key: LIFECYCLE_LABEL, operator: 'In', values: ['on-demand'] }] } },
        ],
      },
    },
  };
}
