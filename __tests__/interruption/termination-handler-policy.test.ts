/**
 * The handler's grants for confirming notices and completing lifecycle actions, evaluated by a real
 * IAM policy evaluator (@cloud-copilot/iam-simulate): describe calls allowed; CompleteLifecycleAction
 * only on the cluster's own (tagged) Auto Scaling groups.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { policyDocument } from '../../constructs/iam/policy';
import { terminationHandlerStatements } from '../../constructs/interruption/termination-handler-policy';

const ACCOUNT = '123456789012';
const TAG_KEY = 'kubernetes.io/cluster/demo';
const policy = JSON.parse(policyDocument(terminationHandlerStatements({
  partition: 'aws', region: 'eu-west-1', account: ACCOUNT, vpcId: 'vpc-0a1b2c3d4e5f60718', clusterTagKey: TAG_KEY,
  quarantineSecurityGroupArn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0a0a0a0a0a0a0a0a0`,
  topicArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:demo-interruptions`, topicKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`,
  tableArn: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/demo`, logGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/demo`,
  failureQueueArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:demo-failures`,
})));

async function decide(action: string, resource: string, contextVariables: Record<string, string> = {}): Promise<string> {
  const response = await runSimulation({
    request: { principal: `arn:aws:iam::${ACCOUNT}:role/demo-termination`, action, resource: { resource, accountId: ACCOUNT }, contextVariables },
    identityPolicies: [{ name: 'handler', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

const group = (name: string) => `arn:aws:autoscaling:eu-west-1:${ACCOUNT}:autoScalingGroup:59fcbb81-bd02-485d-80ce-563ef5b237bf:autoScalingGroupName/${name}`;

describe('termination handler policy, evaluated', () => {
  it.each(['ec2:DescribeSpotInstanceRequests', 'ec2:DescribeInstanceStatus', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLifecycleHooks'])(
    'allows %s, which confirming a notice needs',
    async (action) => expect(await decide(action, '*')).toBe('Allowed'),
  );

  it("allows CompleteLifecycleAction on the cluster's own Auto Scaling group", async () => {
    expect(await decide('autoscaling:CompleteLifecycleAction', group('demo-spot'), { [`aws:ResourceTag/${TAG_KEY}`]: 'owned' })).toBe('Allowed');
  });

  it.each([
    ['an untagged group', {}],
    ["another cluster's group", { 'aws:ResourceTag/kubernetes.io/cluster/other': 'owned' }],
    ['a group tagged shared', { [`aws:ResourceTag/${TAG_KEY}`]: 'shared' }],
  ])('denies CompleteLifecycleAction on %s', async (_name, context) => {
    expect(await decide('autoscaling:CompleteLifecycleAction', group('other'), context)).not.toBe('Allowed');
  });

  it.each([
    ['autoscaling:TerminateInstanceInAutoScalingGroup', group('demo-spot')],
    ['autoscaling:UpdateAutoScalingGroup', group('demo-spot')],
    ['ec2:TerminateInstances', `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`],
  ])('denies %s', async (action, resource) => {
    expect(await decide(action, resource, { [`aws:ResourceTag/${TAG_KEY}`]: 'owned' })).not.toBe('Allowed');
  });
});
