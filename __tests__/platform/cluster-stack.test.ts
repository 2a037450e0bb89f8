import { parsePolicy } from '../../policy/iam';
import { only, resources, statements, synthPlatform } from '../support/synth';

describe('cluster stack', () => {
  const { cluster } = synthPlatform({ adminPrincipalArn: 'arn:aws:iam::123456789012:role/Admin' });

  it('matches its snapshot', () => {
    expect(cluster).toMatchSnapshot();
  });

  it('encrypts secrets with a rotating customer KMS key', () => {
    const eks = only(cluster, 'aws_eks_cluster');
    expect(eks.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/) } });
    const keyId = eks.encryption_config.provider.key_arn.split('.')[1];
    expect(cluster.resource!.aws_kms_key[keyId].enable_key_rotation).toBe(true);
  });

  it('ships every control-plane log type to a retained, encrypted log group', () => {
    const eks = only(cluster, 'aws_eks_cluster');
    expect(eks.enabled_cluster_log_types).toEqual(expect.arrayContaining(['api', 'audit', 'authenticator']));
    const group = resources(cluster, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/eks/spot-ready/cluster');
    expect(group).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringContaining('aws_kms_key') });
  });

  it('encrypts every log group and the image repository with the one rotating cluster key', () => {
    const keyRef = only(cluster, 'aws_eks_cluster').encryption_config.provider.key_arn;
    for (const group of resources(cluster, 'aws_cloudwatch_log_group')) expect(group.kms_key_id).toBe(keyRef);
    expect(only(cluster, 'aws_ecr_repository').encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: keyRef }]);
  });

  it('keeps the endpoint private unless CIDRs are given', () => {
    expect(only(cluster, 'aws_eks_cluster').vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    const open = synthPlatform({ publicAccessCidrs: ['203.0.113.0/24'] }).cluster;
    expect(only(open, 'aws_eks_cluster').vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  it('uses API access entries: the nodes as EC2_LINUX and the admin with the cluster-admin policy', () => {
    expect(only(cluster, 'aws_eks_cluster').access_config).toMatchObject({ authentication_mode: 'API' });
    const entries = resources(cluster, 'aws_eks_access_entry');
    expect(entries.map((e) => e.type).sort()).toEqual(['EC2_LINUX', 'STANDARD']);
    expect(only(cluster, 'aws_eks_access_policy_association')).toMatchObject({
      principal_arn: expect.stringContaining('aws_eks_access_entry'),
      policy_arn: expect.stringMatching(/cluster-access-policy\/AmazonEKSClusterAdminPolicy$/),
      access_scope: { type: 'cluster' },
    });
    expect(resources(synthPlatform().cluster, 'aws_eks_access_entry')).toHaveLength(1);
  });

  it('installs the four managed add-ons and no self-managed ones', () => {
    expect(resources(cluster, 'aws_eks_addon').map((a) => a.addon_name).sort()).toEqual(['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    expect(only(cluster, 'aws_eks_cluster').bootstrap_self_managed_addons).toBe(false);
  });

  it('gives nodes the worker, CNI and ECR read-only policies through an instance profile; SSM only when asked', () => {
    const nodePolicies = (tf: typeof cluster) =>
      resources(tf, 'aws_iam_role_policy_attachment')
        .filter((a) => String(a.role).includes('node-role'))
        .map((a) => String(a.policy_arn).split('/').pop())
        .sort();
    expect(nodePolicies(cluster)).toEqual(['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy']);
    expect(only(cluster, 'aws_iam_instance_profile').role).toContain('node-role');
    expect(nodePolicies(synthPlatform({ nodeSsmAccess: true }).cluster)).toContain('AmazonSSMManagedInstanceCore');
  });

  it("lets VPC Flow Logs assume its role only for this account's flow logs", () => {
    const role = resources(cluster, 'aws_iam_role').find((r) => r.name_prefix === 'vpc-flow-logs-')!;
    const [trust] = (parsePolicy(role.assume_role_policy) as any).Statement;
    expect(trust).toMatchObject({
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': expect.stringMatching(/^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/) },
        ArnLike: { 'aws:SourceArn': expect.stringMatching(/^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:ec2:\$\{data\.aws_region\.[\w-]+\.region\}:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:vpc-flow-log\/\*$/) },
      },
    });
  });

  it('lets the termination handler decrypt a customer-keyed monitoring secret only through Secrets Manager, only that secret', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dd-AbCdEf';
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    // parsePolicy: the same reading whether the document was rendered as JSON or with Fn.jsonencode.
    const handlerPolicy = (tf: typeof cluster) => (parsePolicy(resources(tf, 'aws_iam_role_policy').find((p) => String(p.role).includes('termination_role'))!.policy) as { Statement: ReturnType<typeof statements> }).Statement;
    const keyed = handlerPolicy(synthPlatform({ monitoringProvider: 'datadog', monitoringSecretArn: secret, monitoringSecretKmsKeyArn: key }).cluster);
    expect(keyed.find((s) => [s.Action].flat().includes('kms:Decrypt') && [s.Resource].flat().includes(key))).toEqual({
      Sid: 'MonitoringSecretKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [key],
      Condition: { StringEquals: { 'kms:ViaService': expect.stringMatching(/^secretsmanager\.\$\{data\.aws_region\.[\w-]+\.region\}\.amazonaws\.com$/), 'kms:EncryptionContext:SecretARN': secret } },
    });
    const unkeyed = handlerPolicy(synthPlatform({ monitoringProvider: 'datadog', monitoringSecretArn: secret }).cluster);
    expect(unkeyed.some((s) => [s.Action].flat().includes('kms:Decrypt') && ![s.Resource].flat().some((r) => r.includes('aws_kms_key')))).toBe(false);
  });

  it('renders the config knobs on the cluster: access entries, add-on settings, security group rules, Fargate, tags', () => {
    const tf = synthPlatform({
      accessEntries: { viewers: { principalArn: 'arn:aws:iam::123456789012:role/Viewers', policies: [{ policy: 'AmazonEKSViewPolicy', namespaces: ['apps'] }] } },
      addonConfiguration: { coredns: { configurationValues: { replicaCount: 3 } } },
      clusterSecurityGroupRules: { vpn: { description: 'API from the VPN', direction: 'ingress', protocol: 'tcp', fromPort: 443, cidrIpv4: '10.8.0.0/16' } },
      fargateProfiles: { batch: { selectors: [{ namespace: 'batch' }] } },
      tags: { team: 'platform' },
    });
    expect(resources(tf.cluster, 'aws_eks_access_policy_association').find((a) => a.policy_arn.endsWith('/AmazonEKSViewPolicy'))!.access_scope).toEqual({ type: 'namespace', namespaces: ['apps'] });
    expect(JSON.parse(resources(tf.cluster, 'aws_eks_addon').find((a) => a.addon_name === 'coredns')!.configuration_values)).toEqual({ replicaCount: 3 });
    expect(only(tf.cluster, 'aws_vpc_security_group_ingress_rule')).toMatchObject({ cidr_ipv4: '10.8.0.0/16', from_port: 443, to_port: 443 });
    expect(only(tf.cluster, 'aws_eks_fargate_profile').selector).toEqual([{ namespace: 'batch' }]);
    for (const stack of [tf.cluster, tf.workloads]) {
      expect(stack.provider!.aws[0].default_tags[0].tags).toEqual({ team: 'platform', 'spot-ready-eks/cluster': 'spot-ready', ManagedBy: 'cdktf' });
    }
  });

  it('scopes the cluster role KMS permissions to its key', () => {
    const inline = resources(cluster, 'aws_iam_role_policy').find((p) => String(p.role).includes('eks_role'));
    expect(statements(inline!.policy)[0].Resource).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/)]);
  });

  it('tags subnets for load balancers and node discovery across the configured AZs', () => {
    const subnets = resources(synthPlatform({ azCount: 2 }).cluster, 'aws_subnet');
    const priv = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
    const pub = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');
    expect([priv.length, pub.length]).toEqual([2, 2]);
    expect(priv[0].tags).toMatchObject({ 'karpenter.sh/discovery': 'spot-ready', 'kubernetes.io/cluster/spot-ready': 'shared' });
    expect(subnets.every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
  });

  it('outputs endpoint, CA, cluster name and node role', () => {
    const descriptions = Object.values(cluster.output ?? {}).map((o: any) => o.description);
    expect(descriptions).toEqual(expect.arrayContaining(['EKS API server endpoint', 'EKS cluster CA (base64)', 'EKS cluster name', 'IAM role of worker nodes']));
  });

  it('uses an existing VPC instead of creating one', () => {
    const tf = synthPlatform({ existingVpcId: 'vpc-0123456789abcdef0', existingPrivateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] }).cluster;
    expect(resources(tf, 'aws_vpc')).toHaveLength(0);
    expect(only(tf, 'aws_eks_cluster').vpc_config.subnet_ids).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
  });

  it('writes an S3 backend with a native lock file when asked', () => {
    const tf = synthPlatform({ backend: 's3', stateBucket: 'my-state', stateKeyPrefix: 'team' }).cluster;
    expect(tf.terraform?.backend?.s3).toMatchObject({ bucket: 'my-state', key: 'team/cluster.tfstate', encrypt: true, use_lockfile: true });
  });

  it('decides the EKS upgrade policy explicitly: STANDARD unless EXTENDED is configured', () => {
    expect(only(cluster, 'aws_eks_cluster').upgrade_policy).toEqual({ support_type: 'STANDARD' });
    expect(only(synthPlatform({ upgradePolicy: 'EXTENDED' }).cluster, 'aws_eks_cluster').upgrade_policy).toEqual({ support_type: 'EXTENDED' });
  });

  it.each([
    [{ monitoringProvider: 'datadog', datadogSite: 'api.datadoghq.eu' }, { MONITORING_PROVIDER: 'datadog', DATADOG_API_URL: 'https://api.datadoghq.eu' }],
    [{ monitoringProvider: 'datadog' }, { DATADOG_API_URL: 'https://api.datadoghq.com' }],
    [{ monitoringProvider: 'mackerel', mackerelAction: 'retire' }, { MONITORING_PROVIDER: 'mackerel', MACKEREL_ACTION: 'retire' }],
  ] as const)('passes the monitoring settings %j to the termination Lambda', (settings, expected) => {
    const tf = synthPlatform({ ...settings, monitoringSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mon-AbCdEf' }).cluster;
    expect(only(tf, 'aws_lambda_function').environment.variables).toMatchObject(expected);
  });

  it('checks existing subnets when Terraform reads them: in the VPC, and in at least two AZs', () => {
    const tf = synthPlatform({ existingVpcId: 'vpc-01234567', existingPrivateSubnetIds: ['subnet-01234567', 'subnet-89abcdef', 'subnet-0abcdef1'] }).cluster;
    const subnets = Object.values(tf.data?.aws_subnet ?? {}) as Record<string, any>[];
    expect(subnets.map((s) => s.id)).toEqual(['subnet-01234567', 'subnet-89abcdef', 'subnet-0abcdef1']);
    for (const s of subnets) expect(s.lifecycle.postcondition[0]).toEqual({ condition: '${(self.vpc_id == "vpc-01234567")}', error_message: `existingPrivateSubnetIds: ${s.id} is not in existingVpcId vpc-01234567.` });
    const zones = subnets[2].lifecycle.postcondition[1];
    expect(zones.condition).toBe('${(length(distinct([data.aws_subnet.existing-subnet-0.availability_zone, data.aws_subnet.existing-subnet-1.availability_zone, self.availability_zone])) >= 2)}');
    expect(zones.error_message).toMatch(/^existingPrivateSubnetIds: .*two availability zones/);
    expect(resources(tf, 'aws_vpc')).toEqual([]);
  });

  it('fails at plan when the region has fewer available AZs than azCount (element() would wrap around)', () => {
    const [azs] = Object.values(synthPlatform({ azCount: 4 }).cluster.data?.aws_availability_zones ?? {}) as Record<string, any>[];
    expect(azs.lifecycle.postcondition).toEqual([{ condition: '${(length(self.names) >= 4)}', error_message: expect.stringMatching(/^azCount: 4 is more than the available availability zones/) }]);
  });
});
