/**
 * The `karpenter` engine. AWS side (in the Ocean's scope, the cluster stack): the controller role
 * for EKS Pod Identity, its policy, the interruption queue and rules. Kubernetes side (in the
 * kubernetes scope, the workloads stack): the Karpenter Helm release, and per launch spec an
 * EC2NodeClass and a NodePool.
 *
 * A pod asks for a launch spec with `nodeSelector` on the spec's labels, and for on-demand with
 * `nodeSelector: { node-lifecycle: on-demand }` (or Karpenter's own `karpenter.sh/capacity-type:
 * on-demand`): a spec that allows on-demand renders a spot NodePool and an on-demand twin, each
 * labelled truthfully; every spot NodePool outweighs every on-demand one, so a pod that asks for
 * nothing gets spot, and on-demand only when no spot offering can launch.
 *
 * Who drains on an interruption: Karpenter. Its interruption queue receives the spot warning,
 * rebalance, state-change and health events; it taints the node, launches the replacement and
 * drains within PDBs. node-manager, which sees the same notice, must not evict in parallel (two
 * evictors race on PDB budgets): `interruptionDrainer` says which component owns the drain.
 */
import { DataAwsIamInstanceProfile } from '@cdktf/provider-aws/lib/data-aws-iam-instance-profile';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { podIdentityTrustPolicy, policyDocument } from '../../../iam/policy';
import { HeadroomPlaceholders } from '../../headroom';
import { CRITICAL_ADDONS_TOLERATION, ON_DEMAND_NODE_SELECTOR } from '../../launch-spec';
import type { ResolvedLaunchSpec } from '../../ocean-defaults';
import type { InterruptionDrainer, OceanEngine, OceanEngineProps } from '../../ocean-engine';
import { karpenterControllerStatements } from './controller-policy';
import { InterruptionQueue } from './interruption-queue';
import { ec2NodeClassManifest, nodePoolManifests } from './manifests';
import { checkKarpenterSupport } from './support';
import { KARPENTER_VERSION } from './version';

export { KARPENTER_VERSION } from './version';

export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

export interface KarpenterOptions {
  /** Chart (and controller) version. @default KARPENTER_VERSION */
  readonly version?: string;
  /** Namespace of the controller. @default 'kube-system' */
  readonly namespace?: 'kube-system' | 'karpenter';
  /**
   * Create the EC2_LINUX access entry that lets the node role join the cluster. Only for a cluster
   * without one: our `EksCluster` already creates it, and a second entry for the same role fails.
   * @default false
   */
  readonly createNodeAccessEntry?: boolean;
  /** Controller replicas. @default 2 */
  readonly replicas?: number;
  /** Wait before consolidating an empty or underused node (a spec's `disruption` wins). @default '1m' */
  readonly consolidateAfter?: string;
  /**
   * Let consolidation replace a spot node with a cheaper spot node (Karpenter's
   * `SpotToSpotConsolidation` feature gate). Karpenter then needs at least 15 cheaper instance
   * types to pick from before it moves a spot node. @default false
   */
  readonly spotToSpotConsolidation?: boolean;
}

export interface KarpenterCapacityProps extends OceanEngineProps {
  readonly options?: KarpenterOptions;
}

/** `arn:<partition>:eks:<region>:<account>:cluster/<name>` → its parts, with tokens if the ARN is one. */
function arnPart(arn: string, index: number): string {
  return Token.isUnresolved(arn) ? Fn.element(Fn.split(':', arn), index) : arn.split(':')[index];
}

export class KarpenterCapacity extends Construct implements OceanEngine {
  readonly onDemandNodeSelector = ON_DEMAND_NODE_SELECTOR;
  readonly interruptionDrainer: InterruptionDrainer = 'karpenter';
  readonly controllerRoleArn: string;
  readonly interruptionQueue: InterruptionQueue;
  readonly release: Release;
  private readonly props: KarpenterCapacityProps;
  private readonly controllerRoleName: string;
  private headroom?: HeadroomPlaceholders;

  constructor(scope: Construct, id: string, props: KarpenterCapacityProps) {
    super(scope, id);
    this.props = props;
    const { cluster, options = {} } = props;
    const namespace = options.namespace ?? 'kube-system';

    this.interruptionQueue = new InterruptionQueue(this, 'interruption', { clusterName: cluster.clusterName });
    const role = new IamRole(this, 'controller-role', {
      namePrefix: 'karpenter-controller-',
      description: `Karpenter controller of EKS cluster ${cluster.clusterName} (Pod Identity)`,
      assumeRolePolicy: podIdentityTrustPolicy({ clusterArn: cluster.clusterArn, namespace, serviceAccount: KARPENTER_SERVICE_ACCOUNT }),
    });
    this.controllerRoleArn = role.arn;
    this.controllerRoleName = role.name;
    new IamRolePolicy(this, 'controller-policy', {
      role: role.name,
      name: 'karpenter-controller',
      policy: policyDocument(
        karpenterControllerStatements({
          clusterName: cluster.clusterName,
          clusterArn: cluster.clusterArn,
          partition: arnPart(cluster.clusterArn, 1),
          accountId: arnPart(cluster.clusterArn, 4),
          region: props.region,
          nodeRoleArn: props.defaults.nodeRole.roleArn,
          interruptionQueueArn: this.interruptionQueue.queueArn,
        }),
      ),
    });
    new EksPodIdentityAssociation(this, 'pod-identity', {
      clusterName: cluster.clusterName,
      namespace,
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      roleArn: role.arn,
    });
    if (options.createNodeAccessEntry) {
      new EksAccessEntry(this, 'node-access-entry', { clusterName: cluster.clusterName, principalArn: props.defaults.nodeRole.roleArn, type: 'EC2_LINUX' });
    }

    this.release = new Release(props.kubernetesScope, 'karpenter', {
      name: 'karpenter',
      namespace,
      repository: 'oci://public.ecr.aws/karpenter',
      chart: 'karpenter',
      version: options.version ?? KARPENTER_VERSION,
      wait: true,
      values: [
        stringify(
          {
            replicas: options.replicas ?? 2,
            serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT },
            settings: {
              clusterName: cluster.clusterName,
              interruptionQueue: this.interruptionQueue.queueName,
              featureGates: { spotToSpotConsolidation: options.spotToSpotConsolidation ?? false },
            },
            // The system nodes are tainted CriticalAddonsOnly; Karpenter must run there, not on nodes it manages.
            tolerations: [CRITICAL_ADDONS_TOLERATION],
            controller: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
          },
          { lineWidth: 0 },
        ),
      ],
    });
    if (props.defaults.headroom) this.placeholders().add({ name: 'cluster', headroom: props.defaults.headroom });
  }

  addLaunchSpec(spec: ResolvedLaunchSpec): void {
    checkKarpenterSupport(spec);
    const { kubernetesScope, cluster, options = {} } = this.props;
    if (spec.instanceProfile !== undefined) this.allowPassingRoleOf(spec.name, spec.instanceProfile);
    const nodeClass = new Manifest(kubernetesScope, `nodeclass-${spec.name}`, {
      manifest: ec2NodeClassManifest(spec, { clusterName: cluster.clusterName }),
      dependsOn: [this.release],
    });
    for (const pool of nodePoolManifests(spec, { consolidateAfter: options.consolidateAfter })) {
      new Manifest(kubernetesScope, `nodepool-${pool.metadata!.name}`, {
        manifest: pool,
        // Defaults the API server fills in; without these Terraform reports a diff after every apply.
        computedFields: ['metadata.annotations', 'metadata.labels', 'spec.disruption.budgets', 'spec.template.spec.expireAfter'],
        dependsOn: [nodeClass],
      });
    }
    if (spec.headroom) this.placeholders().add({ name: spec.name, headroom: spec.headroom, nodeSelector: spec.labels, taints: spec.taints });
  }

  private placeholders(): HeadroomPlaceholders {
    this.headroom ??= new HeadroomPlaceholders(this.props.kubernetesScope, 'headroom');
    return this.headroom;
  }

  /**
   * Karpenter launches with an existing instance profile only if it may pass that profile's role:
   * the role ARN is read from the profile and PassRole granted on exactly it.
   */
  private allowPassingRoleOf(specName: string, instanceProfile: string): void {
    const profile = new DataAwsIamInstanceProfile(this, `instance-profile-${specName}`, { name: instanceProfile });
    new IamRolePolicy(this, `pass-role-${specName}`, {
      role: this.controllerRoleName,
      name: `pass-node-role-${specName}`,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowPassingInstanceProfileRole',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: profile.roleArn,
            Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
          },
          { Sid: 'AllowReadingInstanceProfile', Effect: 'Allow', Action: 'iam:GetInstanceProfile', Resource: profile.arn },
        ],
      }),
    });
  }
}
