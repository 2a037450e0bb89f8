import { TerraformStack, Testing, Token } from 'cdktf';
import { Ocean } from '../../constructs/capacity/ocean';
import { completeDefaults, resolveLaunchSpec } from '../../constructs/capacity/ocean-defaults';
import { ec2NodeClassManifest, nodePoolManifests } from '../../constructs/capacity/engines/karpenter/manifests';
import { capacityTypes } from '../../constructs/capacity/engines/karpenter/requirements';
import { KARPENTER_VERSION } from '../../constructs/capacity/engines/karpenter/karpenter-capacity';
import type { LaunchSpec } from '../../constructs/capacity/launch-spec';
import { cluster, cpuSpec, gpuSpec, karpenterSchemaErrors, render, resourceList, sharedDefaults } from './ocean-fixtures';

const defaults = completeDefaults(sharedDefaults, cluster);
const resolve = (spec: LaunchSpec) => resolveLaunchSpec(defaults, spec);
const manifestsOf = (spec: LaunchSpec) => {
  const r = resolve(spec);
  return [ec2NodeClassManifest(r, { clusterName: 'demo' }), ...nodePoolManifests({ ...r, limits: { maxVcpu: 200, maxMemoryGiB: 800 } })];
};

const variety: LaunchSpec[] = [
  cpuSpec,
  gpuSpec,
  { name: 'arm', architecture: 'arm64', capacity: { type: 'spot' }, instanceSelection: { requirements: { includeFamilies: ['m7g', 'c7g'], excludeBareMetal: false } } },
  { name: 'od', capacity: { type: 'on-demand' }, subnetIds: ['subnet-0cccccccccccccccc'], securityGroupIds: ['sg-0cccccccccccccccc'] },
  { name: 'br', amiFamily: { kind: 'bottlerocket', extraSettingsToml: '[settings.kernel]\nlockdown = "integrity"\n' }, rootVolume: { sizeGiB: 100, kmsKeyId: 'alias/ebs' }, startupTaints: [{ key: 'example.com/not-ready', effect: 'NoSchedule' }] },
  { name: 'extra', amiFamily: { kind: 'al2023', extraUserDataParts: [{ contentType: 'text/x-shellscript', content: 'echo hi' }] }, instanceSelection: { requirements: { gpus: { min: 1, max: 4 }, memoryMiB: { max: 65536 } } } },
];

describe('Karpenter manifests', () => {
  it("every variety of launch spec passes Karpenter's own CRD schemas", () => {
    expect(karpenterSchemaErrors(variety.flatMap(manifestsOf))).toEqual([]);
  });

  it('the schema check does catch a broken manifest (so a pass means something)', () => {
    const [nodeClass, pool] = manifestsOf(cpuSpec) as any[];
    delete pool.spec.template.spec.nodeClassRef;
    nodeClass.spec.metadataOptions.httpTokens = 'sometimes';
    const errors = karpenterSchemaErrors([nodeClass, pool]);
    expect(errors).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/nodeClassRef/);
    expect(errors.join('\n')).toMatch(/httpTokens/);
  });

  it('capacity types: spot-only stays spot; anything allowing on-demand lists both', () => {
    expect(capacityTypes({ type: 'spot' })).toEqual(['spot']);
    expect(capacityTypes({ type: 'on-demand' })).toEqual(['on-demand']);
    expect(capacityTypes({ type: 'spot-with-fallback' })).toEqual(['spot', 'on-demand']);
  });

  it('requirements carry the instance selection in well-known labels', () => {
    const reqs = nodePoolManifests(resolve(variety[5]))[0].spec.template.spec.requirements;
    expect(reqs).toEqual(
      expect.arrayContaining([
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0'] },
        { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Lt', values: ['5'] },
        { key: 'karpenter.k8s.aws/instance-memory', operator: 'Lt', values: ['65537'] },
        { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['2'] },
      ]),
    );
    const arm = nodePoolManifests(resolve(variety[2]))[0].spec.template.spec.requirements;
    expect(arm).toEqual(expect.arrayContaining([{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }, { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m7g', 'c7g'] }]));
    expect(arm.some((r) => r.key === 'karpenter.k8s.aws/instance-size')).toBe(false);
    const shared = nodePoolManifests(resolve(cpuSpec))[0].spec.template.spec.requirements;
    expect(shared).toEqual(expect.arrayContaining([{ key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] }, { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'DoesNotExist' }]));
  });

  it('EC2NodeClass: IMDSv2 with the hop limit, encrypted gp3 root, node role name, ids for overridden subnets', () => {
    const od = ec2NodeClassManifest(resolve(variety[3]), { clusterName: 'demo' }).spec!;
    expect(od.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(od.role).toBe('demo-node');
    expect(od.subnetSelectorTerms).toEqual([{ id: 'subnet-0cccccccccccccccc' }]);
    expect(od.securityGroupSelectorTerms).toEqual([{ id: 'sg-0cccccccccccccccc' }]);
    expect(od.userData).toBeUndefined();
    const br = ec2NodeClassManifest(resolve(variety[4]), { clusterName: 'demo' }).spec!;
    expect(br.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.55.0' }]);
    expect(br.blockDeviceMappings).toEqual([
      { deviceName: '/dev/xvda', ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true, kmsKeyID: 'alias/ebs' } },
      { deviceName: '/dev/xvdb', rootVolume: true, ebs: { volumeSize: '100Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true, kmsKeyID: 'alias/ebs' } },
    ]);
    expect(br.userData).toContain('lockdown');
    expect(ec2NodeClassManifest(resolve(variety[5]), { clusterName: 'demo' }).spec!.userData).toMatch(/multipart\/mixed[\s\S]*echo hi/);
  });

  it('subnets known only as a token list are selected by the discovery tag', () => {
    const tokenDefaults = completeDefaults({ subnetIds: Token.asList('${var.subnets}') }, cluster);
    const spec = ec2NodeClassManifest(resolveLaunchSpec(tokenDefaults, { name: 'x' }), { clusterName: 'demo' }).spec!;
    expect(spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'demo' } }]);
  });

  it('NodePool: limits from the defaults, consolidation when empty or underutilized', () => {
    const pool = nodePoolManifests(resolveLaunchSpec(completeDefaults({ ...sharedDefaults, limits: { maxVcpu: 64, maxMemoryGiB: 256 } }, cluster), cpuSpec))[0].spec;
    expect(pool.limits).toEqual({ cpu: '64', memory: '256Gi' });
    expect(pool.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' });
  });
});

describe('KarpenterCapacity', () => {
  const r = render({ engine: 'karpenter', defaults: sharedDefaults }, [cpuSpec]);
  const [policy] = resourceList(r.clusterJson, 'aws_iam_role_policy');
  const statements: any[] = JSON.parse(policy.policy).Statement;
  const [queue] = resourceList(r.clusterJson, 'aws_sqs_queue');

  it('controller role trusts EKS Pod Identity only, and is associated with the karpenter service account', () => {
    const [role] = resourceList(r.clusterJson, 'aws_iam_role');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-west-1:123456789012:cluster/demo',
            'aws:RequestTag/kubernetes-namespace': 'kube-system',
            'aws:RequestTag/kubernetes-service-account': 'karpenter',
          },
        },
      },
    ]);
    const [assoc] = resourceList(r.clusterJson, 'aws_eks_pod_identity_association');
    expect(assoc).toMatchObject({ cluster_name: 'demo', namespace: 'kube-system', service_account: 'karpenter' });
    expect(assoc.role_arn).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
  });

  it('every write is scoped by ARN or by a cluster tag condition; only unscopable reads use *', () => {
    const unscopable = /^(ec2:Describe|pricing:GetProducts$|iam:ListInstanceProfiles$)/;
    for (const s of statements) {
      if (s.Resource.includes('*')) expect(s.Action.every((a: string) => unscopable.test(a))).toBe(true);
      if (s.Action.some((a: string) => /^ec2:(CreateTags|TerminateInstances|DeleteLaunchTemplate|CreateLaunchTemplate)$/.test(a))) {
        expect(JSON.stringify(s.Condition)).toContain('kubernetes.io/cluster/demo');
      }
    }
    const find = (action: string) => statements.filter((s) => s.Action.includes(action));
    expect(find('iam:PassRole').map((s) => s.Resource)).toEqual([[cluster.nodeRole.roleArn]]);
    expect(find('eks:DescribeCluster').map((s) => s.Resource)).toEqual([[cluster.clusterArn]]);
    expect(find('ssm:GetParameter').map((s) => s.Resource)).toEqual([['arn:aws:ssm:eu-west-1::parameter/aws/service/*']]);
    expect(find('sqs:ReceiveMessage').map((s) => s.Resource)).toEqual([[`\${aws_sqs_queue.${Object.keys(r.clusterJson.resource.aws_sqs_queue)[0]}.arn}`]]);
    expect(find('ec2:TerminateInstances')[0].Condition.StringEquals).toEqual({ 'aws:ResourceTag/kubernetes.io/cluster/demo': 'owned' });
    expect(find('ec2:DescribeSubnets')[0].Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } });
    // Instance-profile ARNs carry the account taken from the cluster ARN.
    expect(find('iam:CreateInstanceProfile')[0].Resource).toEqual(['arn:aws:iam::123456789012:instance-profile/*']);
  });

  it('the inline policy fits the 10,240-character IAM limit', () => {
    expect(policy.policy.length).toBeLessThan(10240);
  });

  it('interruption queue: SSE, 5-minute retention, our rules may send, non-TLS denied', () => {
    expect(queue).toMatchObject({ name: 'demo-karpenter', sqs_managed_sse_enabled: true, message_retention_seconds: 300 });
    const [qp] = resourceList(r.clusterJson, 'aws_sqs_queue_policy');
    const qs = JSON.parse(qp.policy).Statement;
    expect(qs.filter((s: any) => s.Effect === 'Allow').map((s: any) => s.Principal.Service).sort()).toEqual(['events.amazonaws.com', 'sqs.amazonaws.com']);
    expect(qs.find((s: any) => s.Principal.Service === 'events.amazonaws.com').Condition.ArnEquals['aws:SourceArn']).toHaveLength(4);
    expect(qs.find((s: any) => s.Effect === 'Deny')).toMatchObject({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  it('EventBridge sends the four interruption event kinds to the queue', () => {
    const patterns = resourceList(r.clusterJson, 'aws_cloudwatch_event_rule').map((rule) => JSON.parse(rule.event_pattern));
    expect(patterns).toEqual(
      expect.arrayContaining([
        { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
        { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
        { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
        { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
      ]),
    );
    expect(patterns).toHaveLength(4);
    expect(resourceList(r.clusterJson, 'aws_cloudwatch_event_target').every((t) => t.arn === `\${aws_sqs_queue.${Object.keys(r.clusterJson.resource.aws_sqs_queue)[0]}.arn}`)).toBe(true);
  });

  it('no node access entry by default (EksCluster makes one); one with createNodeAccessEntry', () => {
    expect(resourceList(r.clusterJson, 'aws_eks_access_entry')).toEqual([]);
    const withEntry = render({ engine: 'karpenter', karpenter: { createNodeAccessEntry: true } });
    expect(resourceList(withEntry.clusterJson, 'aws_eks_access_entry')).toEqual([expect.objectContaining({ principal_arn: cluster.nodeRole.roleArn, type: 'EC2_LINUX' })]);
  });

  it('Helm release and manifests live in the workloads stack, reading the queue name through remote state', () => {
    expect(r.clusterJson.resource.helm_release).toBeUndefined();
    expect(r.clusterJson.resource.kubernetes_manifest).toBeUndefined();
    expect(Object.keys(r.workloadsJson.resource).sort()).toEqual(['helm_release', 'kubernetes_manifest']);
    const [release] = resourceList(r.workloadsJson, 'helm_release');
    expect(release).toMatchObject({ repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: KARPENTER_VERSION, namespace: 'kube-system' });
    expect(release.values[0]).toMatch(/clusterName: demo/);
    expect(release.values[0]).toMatch(/interruptionQueue: \$\{data\.terraform_remote_state\.[^}]+\}/);
    const manifests = resourceList(r.workloadsJson, 'kubernetes_manifest');
    expect(manifests.map((m) => `${m.manifest.kind}/${m.manifest.metadata.name}`).sort()).toEqual(['EC2NodeClass/cpu', 'NodePool/cpu', 'NodePool/cpu-od']);
  });

  it('without workloadsScope everything lands in the cluster stack', () => {
    const stack = new TerraformStack(Testing.app(), 'single');
    new Ocean(stack, 'capacity', { cluster, region: 'eu-west-1', engine: 'karpenter', launchSpecs: [cpuSpec] });
    const json = JSON.parse(Testing.synth(stack));
    expect(resourceList(json, 'helm_release')).toHaveLength(1);
    expect(resourceList(json, 'kubernetes_manifest')).toHaveLength(3);
    expect(resourceList(json, 'aws_sqs_queue')).toHaveLength(1);
  });
});

describe('what Karpenter cannot express fails at synth, naming the field and the engine', () => {
  it.each<[string, Parameters<typeof render>[0], LaunchSpec, RegExp]>([
    ['an on-demand share from the defaults', { engine: 'karpenter', defaults: { spotPercentage: 70 } }, { name: 'a' }, /^defaults\.spotPercentage: not supported by the 'karpenter' engine/],
    ['an on-demand base on a spec', { engine: 'karpenter' }, { name: 'a', capacity: { type: 'spot-with-fallback', onDemandBase: 2 } }, /^launchSpecs\['a'\]\.capacity: not supported by the 'karpenter' engine/],
    ['maxSize', { engine: 'karpenter' }, { name: 'a', maxSize: 5 }, /^launchSpecs\['a'\]\.maxSize: not supported by the 'karpenter' engine.*defaults\.limits/],
    ['minSize', { engine: 'karpenter' }, { name: 'a', minSize: 1 }, /^launchSpecs\['a'\]\.minSize: not supported by the 'karpenter' engine/],
    ['a tag Karpenter owns', { engine: 'karpenter' }, { name: 'a', tags: { 'karpenter.sh/nodepool': 'x' } }, /launchSpecs\['a'\]\.tags\["karpenter\.sh\/nodepool"\]: not supported by the 'karpenter' engine/],
    ['a label in the karpenter.sh domain', { engine: 'karpenter' }, { name: 'a', labels: { 'karpenter.sh/foo': 'x' } }, /labels\["karpenter\.sh\/foo"\]: not supported by the 'karpenter' engine/],
  ])('%s', (_, props, spec, error) => {
    expect(() => render(props, [spec])).toThrow(error);
  });
});
