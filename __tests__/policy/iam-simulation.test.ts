/**
 * The synthesized IAM of the interruption path, judged by a real policy evaluator
 * (@cloud-copilot/iam-simulate: identity + resource policies, every condition operator) after
 * every reference is made concrete. Each case says what a request may or may not do.
 */
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { synthPlatform } from '../support/synth';
import { ACCOUNT, ConcretePolicies, REGION, roleId, VPC_ID } from './support/concrete-policies';

const SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:datadog-AbCdEf`;
const SECRET_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_ACCOUNT = '210987654321';

const stacks = synthPlatform({ monitoringProvider: 'datadog', monitoringSecretArn: SECRET, monitoringSecretKmsKeyArn: SECRET_KEY });
const concrete = new ConcretePolicies(stacks);

type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
async function decide(identityPolicies: { name: string; policy: any }[], principal: string, action: string, resource: string, context: Record<string, string | string[]> = {}, resourcePolicy?: any): Promise<Decision> {
  const simulation: Simulation = {
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
    request: { principal, action, resource: { resource, accountId: resource.split(':')[4] || ACCOUNT }, contextVariables: context },
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation rejected ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/**
 * The same evaluation without the simulator's input checks: they drop parameterised keys that use
 * ":" (`kms:EncryptionContext:SecretARN`) as unknown, so a statement conditioned on one could never
 * match. The evaluator itself handles them; run only where `decide` would drop such a key.
 */
function decideUnvalidated(identityPolicies: { name: string; policy: any }[], principal: string, action: string, resource: string, context: Record<string, string>, resourcePolicy: any): Decision {
  // Passed pre-validated with a name: the unchecked path loads a plain document without one and fails reading it.
  const named = { __validated: true, policyDocument: resourcePolicy, metadata: { name: 'resource-policy' }, errors: [] };
  const simulation: Simulation = { identityPolicies, serviceControlPolicies: [], resourceControlPolicies: [], resourcePolicy: named, request: { principal, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context } };
  return runUnsafeSimulation(simulation, {}) as Decision;
}

describe('termination handler IAM, evaluated', () => {
  const id = roleId(stacks.cluster, 'termination_role_');
  const role = concrete.roleArn(stacks.cluster, id);
  const policies = concrete.inlinePolicies(stacks.cluster, id);
  const may = (action: string, resource: string, context?: Record<string, string | string[]>) => decide(policies, role, action, resource, context);
  const eni = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;

  it('has its inline policy, made concrete', () => {
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies)).not.toContain('${');
  });

  it.each([
    [`arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/0123456789abcdef`, 'Allowed'],
    [`arn:aws:elasticloadbalancing:${REGION}:${OTHER_ACCOUNT}:targetgroup/web/0123456789abcdef`, 'ImplicitlyDenied'],
    [`arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/web/0123456789abcdef`, 'ImplicitlyDenied'],
  ])('DeregisterTargets on %s → %s', async (resource, expected) => {
    expect(await may('elasticloadbalancing:DeregisterTargets', resource)).toBe(expected);
  });

  it('modifies network interfaces only inside the cluster VPC', async () => {
    expect(await may('ec2:ModifyNetworkInterfaceAttribute', eni, { 'ec2:Vpc': `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${VPC_ID}` })).toBe('Allowed');
    expect(await may('ec2:ModifyNetworkInterfaceAttribute', eni, { 'ec2:Vpc': `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/vpc-0ffffffffffffffff` })).toBe('ImplicitlyDenied');
    expect(await may('ec2:ModifyNetworkInterfaceAttribute', eni)).toBe('ImplicitlyDenied'); // no VPC known: no match
  });

  it('attaches only the quarantine security group', async () => {
    const quarantine = concrete.resolve(`\${aws_security_group.${Object.keys(stacks.cluster.resource!.aws_security_group).find((k) => k.startsWith('termination_quarantine'))}.arn}`, stacks.cluster);
    expect(await may('ec2:ModifyNetworkInterfaceAttribute', quarantine)).toBe('Allowed');
    expect(await may('ec2:ModifyNetworkInterfaceAttribute', `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0123456789abcdef0`)).toBe('ImplicitlyDenied');
  });

  it('reads only its monitoring secret, and decrypts it only through Secrets Manager', async () => {
    // KMS evaluates IAM policies only where the key policy lets it; this is the default key policy that does.
    const keyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    const decrypt = async (context: Record<string, string>) => decideUnvalidated(policies, role, 'kms:Decrypt', SECRET_KEY, context, keyPolicy);
    expect(await may('secretsmanager:GetSecretValue', SECRET)).toBe('Allowed');
    expect(await may('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod-db-XyZ123`)).toBe('ImplicitlyDenied');
    const via = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` };
    expect(await decrypt({ ...via, 'kms:EncryptionContext:SecretARN': SECRET })).toBe('Allowed');
    expect(await decrypt({ ...via, 'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:prod-db-XyZ123` })).toBe('ImplicitlyDenied');
    expect(await decrypt({ 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': SECRET })).toBe('ImplicitlyDenied');
    expect(await decrypt({ 'kms:EncryptionContext:SecretARN': SECRET })).toBe('ImplicitlyDenied'); // called directly, not via Secrets Manager
  });

  it.each([
    ['ec2:TerminateInstances', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0`],
    ['elasticloadbalancing:RegisterTargets', `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/0123456789abcdef`],
    ['ec2:CreateSecurityGroup', `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc/${VPC_ID}`],
    ['sns:Publish', `arn:aws:sns:${REGION}:${ACCOUNT}:some-other-topic`],
    ['sqs:SendMessage', `arn:aws:sqs:${REGION}:${ACCOUNT}:some-other-queue`],
    ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/Admin`],
  ])('may not %s on %s', async (action, resource) => {
    expect(await may(action, resource)).toBe('ImplicitlyDenied');
  });
});

describe('node-manager IAM, evaluated', () => {
  const id = roleId(stacks.workloads, 'node-manager_role_');
  const role = concrete.roleArn(stacks.workloads, id);
  const policies = concrete.inlinePolicies(stacks.workloads, id);
  const handler = concrete.resolve(`\${aws_lambda_function.${Object.keys(stacks.cluster.resource!.aws_lambda_function).find((k) => k.startsWith('termination_function'))}.arn}`, stacks.cluster);

  it('may invoke the termination handler and nothing else', async () => {
    expect(policies.length).toBeGreaterThan(0);
    expect(await decide(policies, role, 'lambda:InvokeFunction', handler)).toBe('Allowed');
    expect(await decide(policies, role, 'lambda:InvokeFunction', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:anything-else`)).toBe('ImplicitlyDenied');
    expect(await decide(policies, role, 'lambda:InvokeFunction', handler.replace(ACCOUNT, OTHER_ACCOUNT))).toBe('ImplicitlyDenied');
    for (const action of ['lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:GetFunction']) {
      expect(await decide(policies, role, action, handler)).toBe('ImplicitlyDenied');
    }
  });

  it('can be assumed only by Pod Identity for its own service account of this cluster', async () => {
    const trust = concrete.trustPolicy(stacks.workloads, id);
    const cluster = concrete.resolve(`\${aws_eks_cluster.${Object.keys(stacks.cluster.resource!.aws_eks_cluster)[0]}.arn}`, stacks.cluster);
    const tags = (ns: string, sa: string, c = cluster) => ({ 'aws:RequestTag/eks-cluster-arn': c, 'aws:RequestTag/kubernetes-namespace': ns, 'aws:RequestTag/kubernetes-service-account': sa, 'aws:TagKeys': ['eks-cluster-arn', 'kubernetes-namespace', 'kubernetes-service-account'] });
    const assume = (context: Record<string, string | string[]>) => decide([], 'pods.eks.amazonaws.com', 'sts:AssumeRole', role, context, trust);
    expect(await assume(tags('node-manager', 'node-manager'))).toBe('Allowed');
    expect(await assume(tags('default', 'node-manager'))).toBe('ImplicitlyDenied');
    expect(await assume(tags('node-manager', 'default'))).toBe('ImplicitlyDenied');
    expect(await assume(tags('node-manager', 'node-manager', cluster.replace('cluster/', 'cluster/other-')))).toBe('ImplicitlyDenied');
  });
});

describe('VPC flow logs role trust, evaluated', () => {
  const id = roleId(stacks.cluster, 'network_flow-logs-role_');
  const trust = concrete.trustPolicy(stacks.cluster, id);
  const role = concrete.roleArn(stacks.cluster, id);
  const assume = (account: string) =>
    decide([], 'vpc-flow-logs.amazonaws.com', 'sts:AssumeRole', role, { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:ec2:${REGION}:${account}:vpc-flow-log/fl-0123456789abcdef0` }, trust);

  it("lets the service assume it for this account's flow logs only (no confused deputy)", async () => {
    expect(await assume(ACCOUNT)).toBe('Allowed');
    expect(await assume(OTHER_ACCOUNT)).toBe('ImplicitlyDenied');
  });
});

describe('cluster knob roles, evaluated', () => {
  const tuned = synthPlatform({
    fargateProfiles: { batch: { selectors: [{ namespace: 'batch' }] } },
    addonConfiguration: { 'vpc-cni': { podIdentity: { serviceAccount: 'aws-node', managedPolicies: ['AmazonEKS_CNI_Policy'] } } },
  });
  const tunedConcrete = new ConcretePolicies(tuned);
  const clusterName = 'spot-ready';

  it("lets Fargate assume the pod execution role only for this cluster's profiles in this account", async () => {
    const id = roleId(tuned.cluster, 'eks_fargate_pod-execution-role_');
    const trust = tunedConcrete.trustPolicy(tuned.cluster, id);
    const role = tunedConcrete.roleArn(tuned.cluster, id);
    const assume = (account: string, cluster: string) =>
      decide([], 'eks-fargate-pods.amazonaws.com', 'sts:AssumeRole', role, { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:eks:${REGION}:${account}:fargateprofile/${cluster}/batch/0123abcd-4567-89ef-0123-456789abcdef` }, trust);
    expect(await assume(ACCOUNT, clusterName)).toBe('Allowed');
    expect(await assume(ACCOUNT, 'another-cluster')).toBe('ImplicitlyDenied');
    expect(await assume(OTHER_ACCOUNT, clusterName)).toBe('ImplicitlyDenied');
  });

  it("lets Pod Identity assume an add-on's role only for that add-on's service account", async () => {
    const id = roleId(tuned.cluster, 'eks_addons_vpc-cni-role_');
    const trust = tunedConcrete.trustPolicy(tuned.cluster, id);
    const role = tunedConcrete.roleArn(tuned.cluster, id);
    const cluster = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${clusterName}`;
    const assume = (sa: string) =>
      decide([], 'pods.eks.amazonaws.com', 'sts:AssumeRole', role, { 'aws:RequestTag/eks-cluster-arn': cluster, 'aws:RequestTag/kubernetes-namespace': 'kube-system', 'aws:RequestTag/kubernetes-service-account': sa }, trust);
    expect(await assume('aws-node')).toBe('Allowed');
    expect(await assume('coredns')).toBe('ImplicitlyDenied');
  });
});
