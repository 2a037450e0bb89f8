import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { IEksCluster } from '../cluster/cluster-reference';
import { IGrantableRole } from '../iam/grantable';
import { podIdentityTrustPolicy } from '../iam/policy';
import { physicalName } from '../naming';
import { MANAGED_NODE_ANNOTATIONS, MANAGED_NODE_LABELS, MANAGED_TAINT_KEYS } from '../../contract/node-marks';
import { ADMISSION_POLICY_MIN_KUBERNETES, NodeManagerAdmission } from './node-manager-admission';
import { NodeManagerKnobs, resolveKnobs } from './node-manager-options';
import { NodeManagerRbac } from './node-manager-rbac';
import { nodeManagerPodSpec } from './node-manager-pod';

/** What node-manager needs from the termination handler (ours implements it). */
export interface ITerminationHandler {
  readonly functionArn: string;
  grantInvoke(grantee: IGrantableRole): void;
}

/** The props of {@link NodeManager}: the knobs of {@link NodeManagerKnobs} and what places it. */
export interface NodeManagerProps extends NodeManagerKnobs {
  readonly cluster: IEksCluster;
  /** The Lambda node-manager invokes; node-manager's role may invoke only it. */
  readonly handler: ITerminationHandler;
  /** Container image, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/node-manager:0.1.0`. */
  readonly image: string;
  /** AWS region of the function. */
  readonly region: string;
  /** @default 'node-manager' */
  readonly namespace?: string;
  /** Run only on nodes labelled `node-lifecycle=spot`. @default false (every node: ASG terminations and maintenance hit on-demand too) */
  readonly spotOnly?: boolean;
  /**
   * Narrow node-manager to its own node with a ValidatingAdmissionPolicy (needs Kubernetes 1.30+:
   * admissionregistration.k8s.io/v1 and the node-name claim of bound service-account tokens).
   * Turn off only for an older cluster; RBAC alone lets it patch every node.
   * @default true
   */
  readonly admissionPolicy?: boolean;
  /** Prefix of the IAM role name. @default - the cluster name */
  readonly namePrefix?: string;
}

/**
 * node-manager: one pod per node watching IMDSv2 for the spot notice and related signals, invoking
 * the termination handler asynchronously. Its IAM role (EKS Pod Identity) may only invoke that
 * one function. In Kubernetes it may patch only its own node and evict pods (RBAC, narrowed by
 * a ValidatingAdmissionPolicy to the node in its token: Kubernetes 1.30+); none when it neither
 * drains nor labels.
 */
export class NodeManager extends Construct implements IGrantableRole {
  readonly roleName: string;
  readonly roleArn: string;
  readonly grantScope: Construct;
  readonly namespace: string;
  readonly serviceAccountName = 'node-manager';

  constructor(scope: Construct, id: string, props: NodeManagerProps) {
    super(scope, id);
    const knobs = resolveKnobs(props);
    const touchesKubernetes = knobs.access.patchNode || knobs.access.evict;
    const admissionPolicy = props.admissionPolicy ?? true;
    const version = props.cluster.kubernetesVersion;
    if (admissionPolicy && touchesKubernetes && !Token.isUnresolved(version) && /^1\.\d+$/.test(version) && Number(version.split('.')[1]) < 30) {
      throw new Error(
        `NodeManager.admissionPolicy: the own-node policy needs Kubernetes ${ADMISSION_POLICY_MIN_KUBERNETES}+ and the cluster runs ${version}. ` +
          'Fix: upgrade the cluster (the default is 1.33), or set admissionPolicy: false and accept that node-manager may patch every node.',
      );
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
      automountServiceAccountToken: touchesKubernetes,
    });
    new EksPodIdentityAssociation(this, 'pod-identity', {
      clusterName: props.cluster.clusterName,
      namespace: this.namespace,
      serviceAccount: sa.metadata.name,
      roleArn: role.arn,
    });
    if (touchesKubernetes) {
      // Cluster-scoped names: a second node-manager (another namespace) gets its own.
      const clusterName = namespace === 'node-manager' ? 'node-manager' : `node-manager-${namespace}`;
      new NodeManagerRbac(this, 'rbac', { name: clusterName, namespace: this.namespace, serviceAccountName: sa.metadata.name, access: knobs.access });
      // Narrows what RBAC cannot: only its own node, only the keys it manages (Kubernetes 1.30+).
      if (admissionPolicy) new NodeManagerAdmission(this, 'admission', {
        name: `${clusterName}-own-node`,
        namespace,
        serviceAccountName: this.serviceAccountName,
        labels: MANAGED_NODE_LABELS,
        annotations: MANAGED_NODE_ANNOTATIONS,
        taintKeys: MANAGED_TAINT_KEYS,
      });
    }

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
            env: { TERMINATION_FUNCTION_ARN: props.handler.functionArn, AWS_REGION: props.region, ...knobs.env },
            secretEnv: knobs.secretEnv,
            httpPort: knobs.httpPort,
            tolerations: knobs.tolerations,
            resources: knobs.resources,
            nodeSelector: knobs.nodeSelector,
            priorityClassName: knobs.priorityClassName,
            extraContainers: knobs.extraContainers,
          }),
        },
      },
    });
  }
}
