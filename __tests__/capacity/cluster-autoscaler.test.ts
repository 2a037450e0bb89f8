import { parse } from 'yaml';
import {
  CLUSTER_AUTOSCALER_CHART,
  ClusterAutoscaler,
  ClusterAutoscalerRole,
  type ClusterAutoscalerProps,
} from '../../constructs/capacity/engines/asg/cluster-autoscaler';
import { SpotNodeGroup } from '../../constructs/capacity/engines/asg/spot-node-group';
import { cluster, only, synth } from './fixtures';

describe('ClusterAutoscalerRole', () => {
  const out = synth((scope) => new ClusterAutoscalerRole(scope, 'autoscaler', { cluster }));
  const role = only(out, 'aws_iam_role');
  const policy = JSON.parse(only(out, 'aws_iam_role_policy').policy);

  it('is assumable only by this cluster’s autoscaler service account through EKS Pod Identity', () => {
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': cluster.clusterArn,
            'aws:RequestTag/kubernetes-namespace': 'kube-system',
            'aws:RequestTag/kubernetes-service-account': 'cluster-autoscaler',
          },
        },
      },
    ]);
  });

  it('may change only groups tagged as owned by this cluster', () => {
    const writes = policy.Statement.filter((s: any) => s.Action.some((a: string) => !/:(Describe|Get)/.test(a)));
    expect(writes).toEqual([
      {
        Sid: 'ScaleOwnedGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/demo': 'owned' } },
      },
    ]);
  });

  it('reads what auto-discovery and attribute-based groups need', () => {
    const reads = policy.Statement.find((s: any) => s.Sid === 'DiscoverGroupsAndTypes').Action;
    expect(reads).toEqual(expect.arrayContaining(['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeTags', 'ec2:GetInstanceTypesFromInstanceRequirements']));
  });

  it('scales exactly the groups SpotNodeGroup tags as the cluster’s', () => {
    const groups = synth((scope) => new SpotNodeGroup(scope, 'g', { cluster, spec: { name: 'a' } }));
    const tags = only(groups, 'aws_autoscaling_group').tag as { key: string; value: string }[];
    const [[conditionKey, value]] = Object.entries(policy.Statement[0].Condition.StringEquals) as [string, string][];
    expect(tags).toContainEqual(expect.objectContaining({ key: conditionKey.replace('aws:ResourceTag/', ''), value }));
  });

  it('associates the role with kube-system/cluster-autoscaler', () => {
    const association = only(out, 'aws_eks_pod_identity_association');
    expect(association).toMatchObject({ cluster_name: 'demo', namespace: 'kube-system', service_account: 'cluster-autoscaler' });
    expect(association.role_arn).toBe(`\${aws_iam_role.${Object.keys(out.resource.aws_iam_role)[0]}.arn}`);
  });
});

describe('ClusterAutoscaler', () => {
  function release(props: Partial<ClusterAutoscalerProps> = {}) {
    const out = synth((scope) => new ClusterAutoscaler(scope, 'autoscaler', { clusterName: 'demo', region: 'eu-west-1', ...props }));
    const r = only(out, 'helm_release');
    return { release: r, values: parse(r.values[0]) };
  }

  it('installs the pinned chart into kube-system with the service account Pod Identity expects', () => {
    const { release: r, values } = release();
    expect(r).toMatchObject({ name: 'cluster-autoscaler', namespace: 'kube-system', ...CLUSTER_AUTOSCALER_CHART });
    expect(r.repository).toBe('https://kubernetes.github.io/autoscaler');
    expect(values.rbac.serviceAccount.name).toBe('cluster-autoscaler');
    expect(values.autoDiscovery).toEqual({ clusterName: 'demo' });
    expect(values.awsRegion).toBe('eu-west-1');
  });

  it('expands by least waste, balances similar groups and lets system pods move', () => {
    expect(release().values.extraArgs).toEqual({ expander: 'least-waste', 'balance-similar-node-groups': true, 'skip-nodes-with-system-pods': false, 'max-node-provision-time': '5m' });
  });

  it('adds the priority expander when priorities are given', () => {
    const { values } = release({ expanderPriorities: { 50: ['.*-spot-.*'], 10: ['.*'] } });
    expect(values.extraArgs.expander).toBe('priority,least-waste');
    expect(parse(values.expanderPriorities)).toEqual({ 10: ['.*'], 50: ['.*-spot-.*'] });
  });

  it('rejects an empty priority tier', () => {
    expect(() => release({ expanderPriorities: { 5: [] } })).toThrow(/expanderPriorities\["5"\].*Fix/);
  });

  it('runs non-root with a read-only root filesystem and no capabilities', () => {
    const { values } = release();
    expect(values.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(values.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('prefers on-demand nodes', () => {
    const [preference] = release().values.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(preference.preference.matchExpressions).toEqual([{ key: 'node-lifecycle', operator: 'In', values: ['on-demand'] }]);
  });

  it('pins the image tag only when asked', () => {
    expect(release().values.image).toBeUndefined();
    expect(release({ imageTag: 'v1.33.0' }).values.image).toEqual({ tag: 'v1.33.0' });
  });
});
