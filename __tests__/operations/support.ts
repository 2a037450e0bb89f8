/** A small stack with the operations constructs around a handler deployed elsewhere: literal names, fast synth. */
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { importCluster } from '../../constructs/cluster/import-cluster';
import { InterruptionOperations, type InterruptionOperationsProps, type TerminationHandlerReference } from '../../constructs/interruption/operations';
import { synthJson, type TfJson } from '../support/synth';

export const handlerRef: TerminationHandlerReference = {
  functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:demo-termination-handler',
  functionName: 'demo-termination-handler',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:demo-interruptions',
  topicKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  failureQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:demo-termination-failures',
  failureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/demo-termination-failures',
  failureQueueName: 'demo-termination-failures',
  namePrefix: 'demo',
};

export function synthOperations(props: Partial<Omit<InterruptionOperationsProps, 'cluster'>> = {}): TfJson {
  const stack = new TerraformStack(Testing.app(), 'ops');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const cluster = importCluster(stack, 'cluster', {
    clusterName: 'demo',
    clusterArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/demo',
    endpoint: 'https://example.eks.amazonaws.com',
    certificateAuthorityData: 'Y2E=',
    serviceIpv4Cidr: '172.20.0.0/16',
    kubernetesVersion: '1.33',
    clusterSecurityGroupId: 'sg-0123456789abcdef0',
    vpcId: 'vpc-0123456789abcdef0',
    privateSubnetIds: ['subnet-0123456789abcdef0'],
    nodeRole: { roleArn: 'arn:aws:iam::123456789012:role/demo-node', roleName: 'demo-node', instanceProfileName: 'demo-node', instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/demo-node' },
  });
  new InterruptionOperations(stack, 'operations', { handler: handlerRef, cluster, ...props });
  return synthJson(stack);
}

/** Alarms by the suffix of their name (`demo-interruption-<suffix>`). */
export function alarmsByName(tf: TfJson): Record<string, Record<string, any>> {
  return Object.fromEntries(
    Object.values(tf.resource?.aws_cloudwatch_metric_alarm ?? {}).map((a) => [String(a.alarm_name).replace('demo-interruption-', ''), a]),
  );
}
