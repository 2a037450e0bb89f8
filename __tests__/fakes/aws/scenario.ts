/**
 * Seeds the fakes with a small EKS-like VPC: the node under test (several ENIs, pod IPs as
 * secondary addresses), a peer node, a stranger instance outside the cluster, instance-mode
 * target groups on NodePorts, IP-mode target groups, and optional filler groups to pass a page.
 */
import type { FakeEc2, FakeInstance, FakeNetworkInterface } from './ec2';
import type { FakeElbv2, FakeTargetGroup } from './elbv2';

export interface ClusterSpec {
  /** @default 'i-0123456789abcdef0' */
  readonly instanceId?: string;
  /** The tag that marks cluster members. @default { key: 'kubernetes.io/cluster/spot-e2e', value: 'owned' } */
  readonly clusterTag?: { readonly key: string; readonly value: string };
  /** @default 'vpc-0a1b2c3d4e5f60718' */
  readonly vpcId?: string;
  /** Network interfaces on the node under test. @default 2 */
  readonly enis?: number;
  /** Secondary (pod) addresses per ENI, on top of its primary address. @default 2 */
  readonly podIpsPerEni?: number;
  /**
   * One instance-mode target group per NodePort. The first group's default port is its NodePort;
   * the others default to port 80 with targets on the NodePort, so a deregistration that omits
   * the port misses them — as it would in AWS. @default [30080, 30443]
   */
  readonly nodePorts?: readonly number[];
  /** IP-mode target groups holding pod IPs of the node and the peer. @default 2 */
  readonly ipTargetGroups?: number;
  /** Empty filler groups in the VPC, e.g. 450 to need a second DescribeTargetGroups page. @default 0 */
  readonly fillerTargetGroups?: number;
  /** VPC of the filler groups: another VPC pages them without costing a DescribeTargetHealth each. @default the cluster's VPC */
  readonly fillerVpcId?: string;
  /** `deregistration_delay.timeout_seconds` of the seeded groups. @default 300 (the AWS default) */
  readonly deregistrationDelaySeconds?: number;
}

export interface Cluster {
  readonly vpcId: string;
  readonly clusterTag: { readonly key: string; readonly value: string };
  readonly node: FakeInstance;
  readonly peer: FakeInstance;
  /** In the same VPC, registered in the same groups, but without the cluster tag. */
  readonly stranger: FakeInstance;
  /** Every private address of the node (primary and pod addresses, all ENIs). */
  readonly nodeIps: readonly string[];
  readonly nodeSecurityGroupId: string;
  readonly quarantineSecurityGroupId: string;
  readonly instanceGroups: readonly FakeTargetGroup[];
  readonly ipGroups: readonly FakeTargetGroup[];
  /** Another VPC with an overlapping CIDR: an IP group holding an address equal to the node's. */
  readonly foreignVpcGroup: FakeTargetGroup;
  readonly fillerGroups: readonly FakeTargetGroup[];
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

export function buildCluster(fakes: { ec2: FakeEc2; elbv2: FakeElbv2 }, spec: ClusterSpec = {}): Cluster {
  const { ec2, elbv2 } = fakes;
  const vpcId = spec.vpcId ?? 'vpc-0a1b2c3d4e5f60718';
  const foreignVpcId = 'vpc-0f0f0f0f0f0f0f0f0';
  const clusterTag = spec.clusterTag ?? { key: 'kubernetes.io/cluster/spot-e2e', value: 'owned' };
  const nodePorts = spec.nodePorts ?? [30080, 30443];
  const attributes = { 'deregistration_delay.timeout_seconds': String(spec.deregistrationDelaySeconds ?? 300) };
  if ((spec.enis ?? 2) < 1) throw new Error('buildCluster: enis must be at least 1 (the primary ENI)');

  const nodeSecurityGroupId = ec2.addSecurityGroup({ id: 'sg-0000000000000a001', name: 'eks-node', vpcId }).id;
  const quarantineSecurityGroupId = ec2.addSecurityGroup({ id: 'sg-0000000000000a002', name: 'quarantine', vpcId }).id;
  ec2.addSecurityGroup({ id: 'sg-0000000000000b001', name: 'foreign-vpc-node', vpcId: foreignVpcId });

  let eniCounter = 0;
  const makeInstance = (id: string, subnetOctet: number, enis: number, tags: Record<string, string>): FakeInstance => {
    const networkInterfaces: FakeNetworkInterface[] = Array.from({ length: enis }, (_, k) => ({
      id: `eni-${hex(++eniCounter, 17)}`,
      subnetId: `subnet-${hex(subnetOctet, 17)}`,
      vpcId,
      deviceIndex: k,
      groups: [nodeSecurityGroupId],
      privateIps: Array.from({ length: 1 + (spec.podIpsPerEni ?? 2) }, (_, j) => `10.0.${subnetOctet}.${10 + k * 20 + j}`),
    }));
    return ec2.addInstance({
      id, vpcId, subnetId: networkInterfaces[0]!.subnetId, instanceType: 'm6i.large', availabilityZone: `${elbv2.region}a`,
      lifecycle: 'spot', state: 'running', tags, networkInterfaces,
    });
  };
  const members = { [clusterTag.key]: clusterTag.value, 'eks:nodegroup-name': 'spot' };
  const node = makeInstance(spec.instanceId ?? 'i-0123456789abcdef0', 1, spec.enis ?? 2, { ...members, Name: 'node-under-test' });
  const peer = makeInstance('i-0fedcba9876543210', 2, 1, { ...members, Name: 'peer' });
  const stranger = makeInstance('i-05a5a5a5a5a5a5a5a', 3, 1, { Name: 'not-in-cluster' });

  const instanceGroups = nodePorts.map((nodePort, i) =>
    elbv2.addTargetGroup({
      name: `k8s-nodeport-${nodePort}`, vpcId, targetType: 'instance', port: i === 0 ? nodePort : 80, attributes,
      loadBalancerArns: [`arn:aws:elasticloadbalancing:${elbv2.region}:${elbv2.accountId}:loadbalancer/net/k8s-nlb/${hex(i + 1, 16)}`],
      targets: [node, peer, stranger].map((inst) => ({ id: inst.id, port: nodePort })),
    }));
  const podIps = (inst: FakeInstance): string[] => inst.networkInterfaces.flatMap((n) => n.privateIps.slice(1));
  const ipGroups = Array.from({ length: spec.ipTargetGroups ?? 2 }, (_, i) =>
    elbv2.addTargetGroup({
      name: `k8s-ip-${i + 1}`, vpcId, targetType: 'ip', port: 8080, attributes,
      targets: [...podIps(node), ...podIps(peer)].map((ip) => ({ id: ip })),
    }));
  const foreignVpcGroup = elbv2.addTargetGroup({
    name: 'other-vpc-ip', vpcId: foreignVpcId, targetType: 'ip', port: 8080, targets: [{ id: podIps(node)[0]! }],
  });
  const fillerGroups = Array.from({ length: spec.fillerTargetGroups ?? 0 }, (_, i) =>
    elbv2.addTargetGroup({ name: `filler-${i + 1}`, vpcId: spec.fillerVpcId ?? vpcId, targetType: 'instance', port: 80, targets: [{ id: peer.id }] }));

  return {
    vpcId, clusterTag, node, peer, stranger,
    nodeIps: node.networkInterfaces.flatMap((n) => n.privateIps),
    nodeSecurityGroupId, quarantineSecurityGroupId, instanceGroups, ipGroups, foreignVpcGroup, fillerGroups,
  };
}
