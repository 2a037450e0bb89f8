import { parsePolicy } from '../../policy/iam';
import { only, resources } from '../support/synth';
import { synthCluster } from './support';

const DEV = 'arn:aws:iam::123456789012:role/Developers';
const VIEW = 'arn:aws:iam::123456789012:role/Viewers';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fails = (props: Parameters<typeof synthCluster>[0], field: string, hint: string) =>
  expect(() => synthCluster(props)).toThrow(new RegExp(`${escape(field)}.*${escape(hint)}`));

describe('EksCluster access entries', () => {
  const tf = synthCluster({
    accessEntries: {
      developers: {
        principalArn: DEV,
        kubernetesGroups: ['developers'],
        policies: [{ policy: 'AmazonEKSEditPolicy', namespaces: ['team-a', 'team-b-*'] }, { policy: 'AmazonEKSViewPolicy' }],
      },
      viewers: { principalArn: VIEW, policies: [{ policy: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy' }] },
    },
  });

  it('creates one STANDARD entry per principal with its Kubernetes groups, beside the nodes', () => {
    const entries = resources(tf, 'aws_eks_access_entry');
    expect(entries.map((e) => e.type).sort()).toEqual(['EC2_LINUX', 'STANDARD', 'STANDARD']);
    expect(entries.find((e) => e.principal_arn === DEV)).toMatchObject({ type: 'STANDARD', kubernetes_groups: ['developers'] });
    expect(entries.find((e) => e.principal_arn === VIEW)!.kubernetes_groups).toBeUndefined();
  });

  it('associates each policy with a namespace or cluster scope, names expanded to ARNs', () => {
    const assoc = resources(tf, 'aws_eks_access_policy_association').map((a) => ({ policy: a.policy_arn.split('/').pop(), scope: a.access_scope, arn: a.policy_arn, entry: a.principal_arn }));
    expect(assoc).toHaveLength(3);
    expect(assoc.find((a) => a.policy === 'AmazonEKSEditPolicy')).toMatchObject({ scope: { type: 'namespace', namespaces: ['team-a', 'team-b-*'] }, arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\.\w+\.partition\}:eks::aws:cluster-access-policy\/AmazonEKSEditPolicy$/) });
    expect(assoc.find((a) => a.policy === 'AmazonEKSViewPolicy')!.scope).toEqual({ type: 'cluster' });
    expect(assoc.find((a) => a.policy === 'AmazonEKSAdminViewPolicy')!.arn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy');
    for (const a of assoc) expect(a.entry).toMatch(/^\$\{aws_eks_access_entry\.[\w-]+\.principal_arn\}$/); // created after its entry
  });

  it.each([
    [{ x: { principalArn: 'Developers' } }, 'accessEntries.x.principalArn', 'IAM role or user ARN'],
    [{ x: { principalArn: DEV, kubernetesGroups: ['system:masters'] } }, 'accessEntries.x.kubernetesGroups.0', 'system:'],
    [{ x: { principalArn: DEV, policies: [{ policy: 'AdministratorAccess' }] } }, 'accessEntries.x.policies.0.policy', 'AmazonEKSViewPolicy'],
    [{ x: { principalArn: DEV, policies: [{ policy: 'AmazonEKSViewPolicy', namespaces: ['Team_A'] }] } }, 'accessEntries.x.policies.0.namespaces.0', 'Kubernetes name'],
    [{ x: { principalArn: DEV, policies: [{ policy: 'AmazonEKSViewPolicy' }, { policy: 'AmazonEKSViewPolicy' }] } }, 'accessEntries.x.policies', 'same policy twice'],
    [{ x: { principalArn: DEV }, y: { principalArn: DEV } }, 'accessEntries.y.principalArn', 'already has an access entry (EksClusterProps.accessEntries.x)'],
    [{ 'bad key': { principalArn: DEV } }, 'accessEntries.bad key', 'letters, digits'],
    [{ x: { principalArn: DEV, type: 'FARGATE_LINUX' } }, 'accessEntries.x.type', 'STANDARD'],
    [{ x: { principalArn: DEV, type: 'EC2_LINUX', policies: [{ policy: 'AmazonEKSViewPolicy' }] } }, 'accessEntries.x.policies', 'not allowed with type EC2_LINUX'],
  ])('rejects %j naming %s', (accessEntries, field, hint) => fails({ accessEntries: accessEntries as never }, `EksClusterProps.${field}`, hint));

  it('gives the node role of unmanaged capacity an EC2_LINUX entry', () => {
    const entries = resources(synthCluster({ accessEntries: { legacy: { principalArn: 'arn:aws:iam::123456789012:role/legacy-nodes', type: 'EC2_LINUX' } } }), 'aws_eks_access_entry');
    expect(entries.find((e) => e.principal_arn.endsWith('/legacy-nodes'))).toMatchObject({ type: 'EC2_LINUX' });
  });

  it('refuses a second entry for the admin principal', () => {
    fails({ adminPrincipalArn: DEV, accessEntries: { dev: { principalArn: DEV } } }, 'EksClusterProps.accessEntries.dev.principalArn', 'EksClusterProps.adminPrincipalArn');
  });
});

describe('EksCluster add-on configuration', () => {
  const tf = synthCluster({
    addonConfiguration: {
      coredns: { configurationValues: { replicaCount: 3, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] } },
      'vpc-cni': { podIdentity: { serviceAccount: 'aws-node', managedPolicies: ['AmazonEKS_CNI_Policy'] } },
      'kube-proxy': { serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/kube-proxy' },
    },
  });
  const addon = (name: string) => resources(tf, 'aws_eks_addon').find((a) => a.addon_name === name)!;

  it('renders configurationValues as the JSON configuration_values', () => {
    expect(JSON.parse(addon('coredns').configuration_values)).toEqual({ replicaCount: 3, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] });
    expect(addon('eks-pod-identity-agent').configuration_values).toBeUndefined();
  });

  it('gives a Pod Identity add-on its own role, trusted by that service account of this cluster only', () => {
    const [association] = addon('vpc-cni').pod_identity_association;
    expect(association).toEqual({ service_account: 'aws-node', role_arn: expect.stringMatching(/^\$\{aws_iam_role\.eks_addons_vpc-cni-role_\w+\.arn\}$/) });
    const roleId = association.role_arn.split('.')[1];
    const trust = parsePolicy(tf.resource!.aws_iam_role[roleId].assume_role_policy) as any;
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'kube-system', 'aws:RequestTag/kubernetes-service-account': 'aws-node', 'aws:RequestTag/eks-cluster-arn': expect.stringContaining('aws_eks_cluster') } },
    });
    const attached = resources(tf, 'aws_iam_role_policy_attachment').filter((a) => a.role.includes(roleId));
    expect(attached.map((a) => a.policy_arn.split('/').pop())).toEqual(['AmazonEKS_CNI_Policy']);
  });

  it('passes an IRSA role as service_account_role_arn', () => {
    expect(addon('kube-proxy').service_account_role_arn).toBe('arn:aws:iam::123456789012:role/kube-proxy');
    expect(addon('kube-proxy').pod_identity_association).toBeUndefined();
  });

  it.each([
    [{ 'aws-ebs-csi-driver': {} }, 'addonConfiguration.aws-ebs-csi-driver', 'not an installed add-on'],
    [{ coredns: { configurationValues: [1, 2] } }, 'addonConfiguration.coredns.configurationValues', 'expected record'],
    [{ coredns: { serviceAccountRoleArn: 'arn:aws:iam::123456789012:user/x' } }, 'addonConfiguration.coredns.serviceAccountRoleArn', 'IAM role ARN'],
    [{ coredns: { serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/x', podIdentity: { serviceAccount: 'coredns' } } }, 'addonConfiguration.coredns', 'choose one'],
    [{ coredns: { podIdentity: { serviceAccount: 'CoreDNS' } } }, 'addonConfiguration.coredns.podIdentity.serviceAccount', 'service account name'],
    [{ coredns: { replicas: 2 } }, 'addonConfiguration.coredns', 'replicas'],
  ])('rejects %j naming %s', (addonConfiguration, field, hint) => fails({ addonConfiguration: addonConfiguration as never }, `EksClusterProps.${field}`, hint));

  it('needs the Pod Identity agent for a Pod Identity add-on', () => {
    fails({ addons: { 'vpc-cni': undefined }, addonConfiguration: { 'vpc-cni': { podIdentity: { serviceAccount: 'aws-node' } } } }, 'EksClusterProps.addonConfiguration.vpc-cni.podIdentity', 'eks-pod-identity-agent');
  });
});

describe('EksCluster security group rules', () => {
  const tf = synthCluster({
    clusterSecurityGroupRules: {
      'bastion-https': { description: 'API from the bastion', direction: 'ingress', protocol: 'tcp', fromPort: 443, securityGroupId: 'sg-0123456789abcdef0' },
      'office-https': { description: 'API from the office', direction: 'ingress', protocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '198.51.100.0/24' },
      'all-out': { description: 'Everything out', direction: 'egress', protocol: '-1', fromPort: 0, cidrIpv4: '0.0.0.0/0' },
    },
  });

  it('adds each rule to the cluster security group EKS created', () => {
    const ingress = resources(tf, 'aws_vpc_security_group_ingress_rule');
    const egress = only(tf, 'aws_vpc_security_group_egress_rule');
    for (const r of [...ingress, egress]) expect(r.security_group_id).toMatch(/^\$\{aws_eks_cluster\.\w+\.vpc_config\[0\]\.cluster_security_group_id\}$/);
    expect(ingress.find((r) => r.referenced_security_group_id)).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443, description: 'API from the bastion' });
    expect(ingress.find((r) => r.cidr_ipv4)).toMatchObject({ cidr_ipv4: '198.51.100.0/24', from_port: 443, to_port: 443 });
    expect(egress).toMatchObject({ ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' });
    expect(egress.from_port).toBeUndefined(); // protocol -1 takes no ports
  });

  const rule = { description: 'd', direction: 'ingress', protocol: 'tcp', fromPort: 443, cidrIpv4: '10.1.0.0/16' };
  it.each([
    [{ ...rule, cidrIpv4: '0.0.0.0/0' }, 'clusterSecurityGroupRules.r.cidrIpv4', 'internet'],
    [{ ...rule, securityGroupId: 'sg-0123456789abcdef0' }, 'clusterSecurityGroupRules.r', 'exactly one peer'],
    [{ ...rule, fromPort: undefined }, 'clusterSecurityGroupRules.r.fromPort', 'required for protocol tcp'],
    [{ ...rule, fromPort: 70000 }, 'clusterSecurityGroupRules.r.fromPort', 'at most 65535'],
    [{ ...rule, toPort: 80 }, 'clusterSecurityGroupRules.r.toPort', 'at least fromPort'],
    [{ ...rule, description: '' }, 'clusterSecurityGroupRules.r.description', 'say what the rule is for'],
    [{ ...rule, protocol: 'http' }, 'clusterSecurityGroupRules.r.protocol', 'tcp'],
  ])('rejects %j naming %s', (r, field, hint) => fails({ clusterSecurityGroupRules: { r: r as never } }, `EksClusterProps.${field}`, hint));
});

describe('EksCluster Fargate profiles', () => {
  const tf = synthCluster({ fargateProfiles: { batch: { selectors: [{ namespace: 'batch', labels: { 'run-on': 'fargate' } }, { namespace: 'jobs-*' }] } } });

  it('creates the profile on the private subnets with its selectors', () => {
    expect(only(tf, 'aws_eks_fargate_profile')).toMatchObject({
      fargate_profile_name: 'batch',
      cluster_name: expect.stringContaining('aws_eks_cluster'),
      subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      selector: [{ namespace: 'batch', labels: { 'run-on': 'fargate' } }, { namespace: 'jobs-*' }],
      pod_execution_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.eks_fargate_pod-execution-role_\w+\.arn\}$/),
    });
  });

  it("trusts Fargate only for this cluster's profiles in this account", () => {
    const role = resources(tf, 'aws_iam_role').find((r) => String(r.name_prefix).startsWith('eks-fargate-'))!;
    const [statement] = (parsePolicy(role.assume_role_policy) as any).Statement;
    expect(statement).toMatchObject({
      Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': expect.stringContaining('aws_caller_identity') },
        ArnLike: { 'aws:SourceArn': expect.stringMatching(/:fargateprofile\/\$\{aws_eks_cluster\.\w+\.name\}\/\*$/) },
      },
    });
  });

  it.each([
    [{ p: { selectors: [] } }, 'fargateProfiles.p.selectors', 'at least one selector'],
    [{ p: { selectors: Array(6).fill({ namespace: 'a' }) } }, 'fargateProfiles.p.selectors', 'at most 5'],
    [{ p: { selectors: [{ namespace: 'Batch' }] } }, 'fargateProfiles.p.selectors.0.namespace', 'Kubernetes name'],
    [{ p: { selectors: [{ namespace: 'a', labels: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }] } }, 'fargateProfiles.p.selectors.0.labels', 'at most 5 labels'],
    [{ '-p': { selectors: [{ namespace: 'a' }] } }, 'fargateProfiles.-p', 'profile names'],
    [{ p: { selectors: [{ namespace: 'a' }], subnetIds: ['public-1'] } }, 'fargateProfiles.p.subnetIds.0', 'subnet ids'],
  ])('rejects %j naming %s', (fargateProfiles, field, hint) => fails({ fargateProfiles: fargateProfiles as never }, `EksClusterProps.${field}`, hint));
});

describe('EksCluster tags', () => {
  const tf = synthCluster({ tags: { team: 'platform', 'cost-center': '42' } });

  it('tags every taggable resource, keeping a resource its own tags', () => {
    const taggable = Object.entries(tf.resource!).flatMap(([type, byId]) => Object.values(byId).map((body) => ({ type, body })))
      .filter(({ type }) => ['aws_eks_cluster', 'aws_iam_role', 'aws_kms_key', 'aws_cloudwatch_log_group', 'aws_eks_addon', 'aws_eks_access_entry', 'aws_iam_openid_connect_provider', 'aws_iam_instance_profile'].includes(type));
    expect(taggable.length).toBeGreaterThan(10);
    for (const { body } of taggable) expect(body.tags).toMatchObject({ team: 'platform', 'cost-center': '42' });
    expect(resources(tf, 'aws_iam_role_policy_attachment').every((a) => a.tags === undefined)).toBe(true); // not taggable
  });

  it.each([
    [{ 'aws:team': 'x' }, 'tags.aws:team', 'reserved by AWS'],
    [{ team: 'x'.repeat(257) }, 'tags.team', 'at most 256'],
    [{ 'team#1': 'x' }, 'tags.team#1', 'letters, digits'],
  ])('rejects %j naming %s', (tags, field, hint) => fails({ tags }, `EksClusterProps.${field}`, hint));
});

describe('EksCluster node role', () => {
  const nodePolicies = (tf: ReturnType<typeof synthCluster>) =>
    resources(tf, 'aws_iam_role_policy_attachment').filter((a) => String(a.role).includes('node-role')).map((a) => String(a.policy_arn).split('/').pop()).sort();

  it('leaves Session Manager off unless asked', () => {
    expect(nodePolicies(synthCluster())).toEqual(['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy']);
    expect(nodePolicies(synthCluster({ nodeSsmAccess: true }))).toContain('AmazonSSMManagedInstanceCore');
  });
});
