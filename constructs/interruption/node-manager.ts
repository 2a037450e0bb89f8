import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { SignalKind } from '../../contract/interruption-notice';
import { IEksCluster } from '../cluster/cluster-reference';
import { IGrantableRole } from '../iam/grantable';
import { podIdentityTrustPolicy } from '../iam/policy';
import { physicalName } from '../naming';
import { NodeManagerRbac } from './node-manager-rbac';
import { nodeManagerPodSpec } from './node-manager-pod';

/** What node-manager needs from the termination handler (ours implements it). */
export interface ITerminationHandler {
  readonly functionArn: string;
  grantInvoke(grantee: IGrantableRole): void;
}

export interface NodeManagerProps {
  readonly cluster: IEksCluster;
  /** The Lambda node-manager invokes; node-manager's role may invoke only it. */
  readonly handler: ITerminationHandler;
  /** Container image, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/node-manager:0.1.0`. */
  readonly image: string;
  /** AWS region of the function. */
  readonly region: string;
  /** @default 'node-manager' */
  readonly namespace?: string;
  /** Cordon, taint, label and drain the node on notice. @default true */
  readonly drain?: boolean;
  /** Log what would be done, change nothing in Kubernetes. @default false */
  readonly dryRun?: boolean;
  /** IMDS poll interval. @default 2000 */
  readonly pollIntervalMs?: number;
  /** Signals that trigger the handler; others are only reported. @default ['spot-interruption', 'asg-termination'] */
  readonly actOn?: SignalKind[];
  /** Run only on nodes labelled `node-lifecycle=spot`. @default false (every node: ASG terminations and maintenance hit on-demand too) */
  readonly spotOnly?: boolean;
  /** Prefix of the IAM role name. @default - the cluster name */
  readonly namePrefix?: string;
}

/**
 * node-manager: one pod per node watching IMDSv2 for the spot notice and related signals, invoking
 * the termination handler asynchronously. Its IAM role (EKS Pod Identity) may only invoke that
 * one function; its RBAC exists only when drain is on.
 */
export class NodeManager extends Construct implements IGrantableRole {
  readonly roleName: string;
  readonly roleArn: string;
  readonly grantScope: Construct;
  readonly namespace: string;
  readonly serviceAccountName = 'node-manager';

  constructor(scope: Construct, id: string, props: NodeManagerProps) {
    super(scope, id);
    const drain = props.drain ?? true;
    const pollIntervalMs = props.pollIntervalMs ?? 2000;
    if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 100 || pollIntervalMs > 60_000) {
      throw new Error(`NodeManager.pollIntervalMs must be a whole number from 100 to 60000 (got ${pollIntervalMs}); AWS advises checking every 5 s at most`);
    }
    const namespace = props.namespace ?? 'node-manager';
    const role = new IamRole(this, 'role', {
      name: physicalName(this, props.namePrefix ?? props.cluster.clusterName, 'node-manager', 64),
      assumeRolePolicy: podIdentityTrustPolicy({ clusterArn: props.cluster.clusterArn, namespace, serviceAccount: this.serviceAccountName }),
    });
    [this.roleName, this.roleArn, this.grantScope] = [role.name, role.arn, role];
    props.handler.grantInvoke(this);

    const ns = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: namespace,
        // hostNetwork (needed for IMDS at hop limit 1) is outside the baseline profile.
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'restricted' },
      },
    });
    this.namespace = ns.metadata.name;
    const sa = new ServiceAccountV1(this, 'service-account', {
      metadata: { name: this.serviceAccountName, namespace: this.namespace },
      automountServiceAccountToken: drain,
    });
    new EksPodIdentityAssociation(this, 'pod-identity', {
      clusterName: props.cluster.clusterName,
      namespace: this.namespace,
      serviceAccount: sa.metadata.name,
      roleArn: role.arn,
    });
    if (drain) new NodeManagerRbac(this, 'rbac', { name: 'node-manager', namespace: this.namespace, serviceAccountName: sa.metadata.name });

    const labels = { 'app.kubernetes.io/name': 'node-manager', 'app.kubernetes.io/part-of': 'spot-ready-eks' };
    new DaemonSetV1(this, 'daemon-set', {
      metadata: { name: 'node-manager', namespace: this.namespace, labels },
      spec: {
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
        template: {
          metadata: { labels },
          spec: nodeManagerPodSpec({
            image: props.image,
            serviceAccountName: sa.metadata.name,
            spotOnly: props.spotOnly ?? false,
            env: {
              TERMINATION_FUNCTION_ARN: props.handler.functionArn,
              AWS_REGION: props.region,
              POLL_INTERVAL_MS: String(pollIntervalMs),
              ACT_ON: (props.actOn ?? ['spot-interruption', 'asg-termination']).join(','),
              DRAIN_ENABLED: String(drain),
              DRY_RUN: String(props.dryRun ?? false),
            },
          }),
        },
      },
    });
  }
}
