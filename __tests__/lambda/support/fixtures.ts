/** A cluster node with two ENIs (plus a prefix-delegated one), its target groups, and the handler's environment. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { InterruptionNotice } from '../../../contract/interruption-notice';
import { createAwsClients } from '../../../lambda/termination-handler/clients';
import { loadConfig } from '../../../lambda/termination-handler/config';
import { resetContainer } from '../../../lambda/termination-handler/container';
import type { StepContext } from '../../../lambda/termination-handler/types';
import { verifyInstance } from '../../../lambda/termination-handler/verify';
import type { SimInstance, SimTargetGroup, SimulatedAws } from './simulated-aws';

export const INSTANCE_ID = 'i-0123456789abcdef0';
export const OTHER_INSTANCE_ID = 'i-0fedcba9876543210';
export const VPC_ID = 'vpc-0a1b2c3d4e5f60718';
export const QUARANTINE_SG = 'sg-0a0a0a0a0a0a0a0a0';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:demo-interruptions';
export const TABLE = 'demo-interruption-state';
export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo-monitoring-AbCdEf';

export const BASE_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  CLUSTER_NAME: 'demo',
  QUARANTINE_SECURITY_GROUP_ID: QUARANTINE_SG,
  SUMMARY_TOPIC_ARN: TOPIC_ARN,
  STATE_TABLE_NAME: TABLE,
  CONFIRM_INTERVAL_MS: '5', // AWS answers at once here; keep refusals fast
};
const HANDLER_ENV_KEYS = [
  ...Object.keys(BASE_ENV), 'CLUSTER_TAG_KEY', 'NOTICE_WINDOW_SECONDS', 'DEREGISTER_CONCURRENCY', 'MONITORING_PROVIDER',
  'CONFIRM_ATTEMPTS', 'CONFIRM_INTERVAL_MS', 'ACT_ON',
  'MONITORING_SECRET_ARN', 'DATADOG_API_URL', 'MACKEREL_API_URL', 'MACKEREL_ACTION', 'WEBHOOK_URL',
  'API_RESERVED_SHARE', 'WAVE_LEASE_SECONDS', 'FUNCTION_TIMEOUT_SECONDS', 'TARGET_GROUP_DISCOVERY', 'TARGET_GROUP_ARNS',
];

/** Replace the handler's environment and simulate a cold start. */
export function configureHandler(overrides: Record<string, string> = {}): void {
  for (const key of HANDLER_ENV_KEYS) delete process.env[key];
  Object.assign(process.env, BASE_ENV, overrides);
  resetContainer();
}

export function clusterNode(): SimInstance {
  return {
    id: INSTANCE_ID,
    vpcId: VPC_ID,
    privateDnsName: 'ip-10-0-1-10.eu-west-1.compute.internal',
    tags: { 'kubernetes.io/cluster/demo': 'owned', Name: 'demo-spot' },
    enis: [
      { id: 'eni-0000000000000000a', ips: ['10.0.1.10', '10.0.1.11', '10.0.1.12'], groups: ['sg-0000000000000node'] },
      { id: 'eni-0000000000000000b', ips: ['10.0.2.20', '10.0.2.21'], groups: ['sg-0000000000000node'] },
      { id: 'eni-0000000000000000c', ips: ['10.0.3.5'], ipv4Prefixes: ['10.0.3.16/28'], groups: ['sg-0000000000000node'] },
    ],
  };
}

const arn = (name: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`;

/** Target groups covering every case deregistration must get right. */
export function clusterTargetGroups(): SimTargetGroup[] {
  return [
    { arn: arn('web'), name: 'web', vpcId: VPC_ID, type: 'instance', port: 80, delaySeconds: 300,
      targets: [{ id: INSTANCE_ID, port: 80, state: 'healthy' }, { id: OTHER_INSTANCE_ID, port: 80, state: 'healthy' }] },
    // AWS Load Balancer Controller instance mode: NodePorts, not the group's default port.
    { arn: arn('ingress-nodeport'), name: 'ingress-nodeport', vpcId: VPC_ID, type: 'instance', port: 80, delaySeconds: 30,
      targets: [{ id: INSTANCE_ID, port: 30080, state: 'healthy' }, { id: INSTANCE_ID, port: 31443, state: 'healthy' },
        { id: OTHER_INSTANCE_ID, port: 30080, state: 'healthy' }] },
    // IP mode: pod addresses on several ENIs, including one from a delegated prefix.
    { arn: arn('pods-ip'), name: 'pods-ip', vpcId: VPC_ID, type: 'ip', port: 8080, delaySeconds: 60,
      targets: [{ id: '10.0.1.11', port: 8080, state: 'healthy' }, { id: '10.0.2.21', port: 8080, state: 'healthy' },
        { id: '10.0.3.20', port: 8080, state: 'healthy' }, { id: '10.0.9.9', port: 8080, state: 'healthy' }] },
    { arn: arn('already-draining'), name: 'already-draining', vpcId: VPC_ID, type: 'instance', port: 80,
      targets: [{ id: INSTANCE_ID, port: 80, state: 'draining' }] },
    { arn: arn('other-nodes'), name: 'other-nodes', vpcId: VPC_ID, type: 'instance', port: 80,
      targets: [{ id: OTHER_INSTANCE_ID, port: 80, state: 'healthy' }] },
    { arn: arn('other-vpc'), name: 'other-vpc', vpcId: 'vpc-0ffffffffffffffff', type: 'ip', port: 80,
      targets: [{ id: '10.0.1.11', port: 80, state: 'healthy' }] },
    { arn: arn('fn'), name: 'fn', vpcId: VPC_ID, type: 'lambda', port: 0, targets: [] },
  ];
}

/** The standard node, being interrupted: AWS has marked its Spot request (so a spot notice is confirmed). */
export function standardAccount(sim: SimulatedAws): SimulatedAws {
  sim.instances.set(INSTANCE_ID, clusterNode());
  sim.aws.spotStatus.set(INSTANCE_ID, 'marked-for-termination');
  sim.targetGroups = clusterTargetGroups();
  return sim;
}

export function spotNotice(overrides: Partial<InterruptionNotice> = {}): InterruptionNotice {
  return {
    version: 1,
    source: 'node-manager',
    instanceId: INSTANCE_ID,
    nodeName: 'ip-10-0-1-10.eu-west-1.compute.internal',
    signal: 'spot-interruption',
    noticeTime: new Date(Date.now() + 110_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    action: 'terminate',
    ...overrides,
  };
}

/** The EventBridge event AWS sends for the same interruption (its time is two minutes before the action). */
export function spotWarningEvent(noticeTime: string, instanceId = INSTANCE_ID) {
  return {
    version: '0',
    id: '1e5527d7-bb36-4607-3370-4164db56a40e',
    'detail-type': 'EC2 Spot Instance Interruption Warning',
    source: 'aws.ec2',
    account: '123456789012',
    time: new Date(Date.parse(noticeTime) - 120_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-1',
    resources: [`arn:aws:ec2:eu-west-1b:instance/${instanceId}`],
    detail: { 'instance-id': instanceId, 'instance-action': 'terminate' },
  };
}

/** A step's context, as the handler would build it after verifying the standard node. */
export async function stepContext(sim: SimulatedAws, env: Record<string, string> = {}): Promise<StepContext> {
  const config = loadConfig({ ...BASE_ENV, ...env });
  const clients = createAwsClients('eu-west-1');
  const log = new Logger({ logLevel: 'SILENT' });
  const verdict = await verifyInstance(spotNotice(), config, clients, log);
  if (verdict.status !== 'verified') throw new Error(`fixture instance not verified: ${verdict.reason}`);
  sim.calls.length = 0; // the test is about the step, not the lookup
  return { notice: spotNotice(), instance: verdict.instance, config, clients, log };
}
