import { TerraformStack, Testing } from 'cdktf';
import { EksCluster } from '../../constructs/cluster/eks-cluster';
import { MonitoringOptions, TerminationHandler } from '../../constructs/interruption/termination-handler';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dd-AbCdEf';

function handler(monitoring: MonitoringOptions, monitoringSecretKmsKeyArn: string): void {
  const stack = new TerraformStack(Testing.app(), 'test');
  const cluster = EksCluster.fromAttributes(stack, 'cluster', {
    clusterName: 'c1', clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/c1', endpoint: 'https://example', certificateAuthorityData: 'Y2E=',
    serviceIpv4Cidr: '172.20.0.0/16', kubernetesVersion: '1.33', clusterSecurityGroupId: 'sg-0123456789abcdef0', vpcId: 'vpc-0123456789abcdef0',
    privateSubnetIds: ['subnet-0123456789abcdef0'], nodeRole: { roleArn: 'arn:aws:iam::123456789012:role/n', roleName: 'n', instanceProfileName: 'n', instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/n' },
  });
  new TerminationHandler(stack, 'handler', { cluster, monitoring, monitoringSecretKmsKeyArn });
}

describe('TerminationHandler monitoringSecretKmsKeyArn', () => {
  it('is refused without a monitoring secret to decrypt', () => {
    expect(() => handler({ provider: 'none' }, 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toThrow(
      /TerminationHandlerProps\.monitoringSecretKmsKeyArn is set but monitoring\.provider is "none"/,
    );
  });

  it.each([['alias/datadog'], ['arn:aws:kms:eu-west-1:123456789012:alias/datadog'], ['1234abcd-12ab-34cd-56ef-1234567890ab']])('is refused as %s: only a key ARN can be scoped', (key) => {
    expect(() => handler({ provider: 'datadog', secretArn: SECRET }, key)).toThrow(/TerminationHandlerProps\.monitoringSecretKmsKeyArn must be a KMS key ARN/);
  });
});
