import { envVarName, loadPlatformConfig, PlatformConfigError, validatePlatformConfig } from '../../constructs/platform/config';

describe('platform config', () => {
  it('fills documented defaults', () => {
    const c = validatePlatformConfig({});
    expect(c).toMatchObject({ clusterName: 'spot-ready', region: 'eu-west-1', kubernetesVersion: '1.35', upgradePolicy: 'STANDARD', datadogSite: 'api.datadoghq.com', mackerelAction: 'maintenance', vpcCidr: '10.0.0.0/16', azCount: 3, publicAccessCidrs: [], backend: 'local' });
  });

  it('layers cdktf.json context under SPOT_EKS_* environment variables', () => {
    const context: Record<string, unknown> = { clusterName: 'from-context', azCount: 4 };
    const c = loadPlatformConfig((k) => context[k], { SPOT_EKS_AZ_COUNT: '2', SPOT_EKS_PUBLIC_ACCESS_CIDRS: '203.0.113.0/24, 198.51.100.7/32', SPOT_EKS_NODE_MANAGER_DRAIN: 'false' });
    expect(c.clusterName).toBe('from-context');
    expect(c.azCount).toBe(2);
    expect(c.publicAccessCidrs).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(c.nodeManagerDrain).toBe(false);
  });

  it('names environment variables after the field', () => {
    expect(envVarName('kubernetesVersion')).toBe('SPOT_EKS_KUBERNETES_VERSION');
  });

  it.each([
    [{ azCount: 0 }, 'azCount', 'at least 2'],
    [{ azCount: 2.5 }, 'azCount', 'whole number'],
    [{ vpcCidr: '10.0.0/16' }, 'vpcCidr', 'IPv4 CIDR'],
    [{ vpcCidr: '10.0.0.0/33' }, 'vpcCidr', 'IPv4 CIDR'],
    [{ clusterName: 'my cluster' }, 'clusterName', 'letters, digits'],
    [{ clusterName: '-leading' }, 'clusterName', 'start with a letter or digit'],
    [{ clusterName: 'x'.repeat(101) }, 'clusterName', 'at most 100'],
    [{ kubernetesVersion: 'v1.33' }, 'kubernetesVersion', 'EKS offers: 1.35'],
    [{ adminPrincipalArn: 'admin' }, 'adminPrincipalArn', 'IAM role or user ARN'],
    [{ backend: 's3' }, 'stateBucket', 'required when backend is "s3"'],
    [{ monitoringProvider: 'datadog' }, 'monitoringSecretArn', 'required'],
    [{ existingVpcId: 'vpc-0123456789abcdef0' }, 'existingPrivateSubnetIds', 'required'],
    [{ clusterNmae: 'typo' }, 'clusterNmae', 'did you mean "clusterName"'],
  ])('rejects %j naming %s', (input, field, hint) => {
    expect(() => validatePlatformConfig(input as never)).toThrow(PlatformConfigError);
    expect(() => validatePlatformConfig(input as never)).toThrow(new RegExp(`${field}.*${hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('refuses a public endpoint open to the world, naming the field and the fix', () => {
    for (const cidrs of ['0.0.0.0/0', '203.0.113.0/24,0.0.0.0/0', '0.0.0.0/1,128.0.0.0/1']) {
      expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_PUBLIC_ACCESS_CIDRS: cidrs })).toThrow(
        /publicAccessCidrs \(from SPOT_EKS_PUBLIC_ACCESS_CIDRS\): contains [\d./, ]+: that opens the EKS API endpoint to the whole internet/,
      );
    }
    expect(loadPlatformConfig(() => undefined, { SPOT_EKS_PUBLIC_ACCESS_CIDRS: '203.0.113.0/24' }).publicAccessCidrs).toEqual(['203.0.113.0/24']);
  });

  it('reads object knobs from cdktf.json context or JSON environment variables', () => {
    const c = loadPlatformConfig((k) => (k === 'fargateProfiles' ? { batch: { selectors: [{ namespace: 'batch' }] } } : undefined), { SPOT_EKS_TAGS: '{"team":"platform"}' });
    expect(c.tags).toEqual({ team: 'platform' });
    expect(c.fargateProfiles).toEqual({ batch: { selectors: [{ namespace: 'batch' }] } });
    expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_TAGS: 'team=platform' })).toThrow(/tags \(from SPOT_EKS_TAGS\)/);
  });

  it.each([
    [{ accessEntries: { dev: { principalArn: 'dev' } } }, 'accessEntries.dev.principalArn', 'IAM role or user ARN'],
    [{ accessEntries: { dev: { principalArn: 'arn:aws:iam::123456789012:role/Dev', policies: [{ policy: 'AmazonEKSViewPolicy', namespaces: ['Apps'] }] } } }, 'accessEntries.dev.policies[0].namespaces[0]', 'Kubernetes name'],
    [{ addonConfiguration: { coredns: { serviceAccountRoleArn: 'x' } } }, 'addonConfiguration.coredns.serviceAccountRoleArn', 'IAM role ARN'],
    [{ clusterSecurityGroupRules: { any: { description: 'd', direction: 'ingress', protocol: '-1', cidrIpv4: '0.0.0.0/0' } } }, 'clusterSecurityGroupRules.any.cidrIpv4', 'internet'],
    [{ fargateProfiles: { batch: { selectors: [] } } }, 'fargateProfiles.batch.selectors', 'at least one selector'],
    [{ tags: { 'aws:owner': 'me' } }, 'tags.aws:owner', 'reserved by AWS'],
    [{ monitoringSecretKmsKeyArn: 'alias/monitoring' }, 'monitoringSecretKmsKeyArn', 'KMS key ARN'],
    [{ nodeSsmAccess: 'yes' }, 'nodeSsmAccess', 'boolean'],
  ])('rejects knob %j naming %s', (input, field, hint) => {
    expect(() => validatePlatformConfig(input as never)).toThrow(new RegExp(`${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${hint}`));
  });

  it('says which source a bad value came from', () => {
    expect(() => loadPlatformConfig(() => undefined, { SPOT_EKS_AZ_COUNT: 'three' })).toThrow(/azCount \(from SPOT_EKS_AZ_COUNT\)/);
  });
});
