/**
 * The account a wave scenario runs in, seeded into the fake: one VPC, the dying nodes and some live
 * peers (two ENIs each, pod addresses as secondaries), and target groups — half instance mode on
 * NodePorts (not the group's port), half IP mode holding pod addresses — of which `holding` hold
 * `perGroup` registrations of dying nodes each, beside registrations of live peers.
 */
import type { FakeAws, FakeInstance, FakeTargetGroup } from '../../__tests__/fakes/aws';
import { mulberry32 } from '../../__tests__/fakes/aws/faults';

export interface AccountSpec {
  readonly dyingNodes: number;
  readonly targetGroups: number;
  /** Groups holding at least one dying target. */
  readonly holding: number;
  /** Dying nodes registered in each holding group (at most dyingNodes). */
  readonly perGroup: number;
  readonly seed?: number;
}

export interface Account {
  readonly clusterName: string;
  readonly vpcId: string;
  readonly dying: readonly FakeInstance[];
  readonly quarantineSecurityGroupId: string;
  readonly groups: readonly FakeTargetGroup[];
  /** Registrations of dying nodes in the seeded state. */
  readonly dyingRegistrations: number;
  /** Dying registrations still registered and not draining. */
  liveDyingRegistrations(): number;
  quarantinedNodes(): number;
}

const hex = (n: number, width = 17) => n.toString(16).padStart(width, '0');

export function seedAccount(aws: FakeAws, spec: AccountSpec): Account {
  const random = mulberry32(spec.seed ?? 7);
  const clusterName = 'bench';
  const vpcId = 'vpc-0b0b0b0b0b0b0b0b0';
  const nodeSg = aws.ec2.addSecurityGroup({ id: 'sg-0000000000000c001', name: 'nodes', vpcId }).id;
  const quarantineSecurityGroupId = aws.ec2.addSecurityGroup({ id: 'sg-0000000000000c002', name: 'quarantine', vpcId }).id;
  let eni = 0;
  const makeNode = (index: number, dying: boolean): FakeInstance => {
    const subnet = 1 + (index % 3);
    return aws.ec2.addInstance({
      id: `i-${hex(0x100000 + index)}`, vpcId, subnetId: `subnet-${hex(subnet)}`, instanceType: 'm6i.large',
      availabilityZone: `${aws.region}a`, lifecycle: 'spot', state: 'running',
      tags: { [`kubernetes.io/cluster/${clusterName}`]: 'owned', Name: dying ? 'dying' : 'peer' },
      networkInterfaces: [0, 1].map((k) => ({
        id: `eni-${hex(++eni)}`, subnetId: `subnet-${hex(subnet)}`, vpcId, deviceIndex: k, groups: [nodeSg],
        privateIps: [0, 1, 2, 3].map((j) => `10.${k}.${Math.floor(index / 50)}.${(index % 50) * 5 + j}`),
      })),
    });
  };
  const dying = Array.from({ length: spec.dyingNodes }, (_, i) => makeNode(i, true));
  // EC2 marks a Spot request when it issues the two-minute warning; the handler confirms that before acting.
  for (const node of dying) aws.ec2.fate.markForInterruption(node.id);
  const peers = Array.from({ length: 10 }, (_, i) => makeNode(1000 + i, false));
  const podIp = (node: FakeInstance) => node.networkInterfaces[Math.floor(random() * 2)]!.privateIps[1 + Math.floor(random() * 3)]!;

  const holdingIndex = new Set(shuffle(Array.from({ length: spec.targetGroups }, (_, i) => i), random).slice(0, spec.holding));
  let dyingRegistrations = 0;
  const groups = Array.from({ length: spec.targetGroups }, (_, g) => {
    const ip = g % 2 === 1;
    const members = holdingIndex.has(g) ? shuffle([...dying], random).slice(0, spec.perGroup) : [];
    dyingRegistrations += members.length;
    const live = shuffle([...peers], random).slice(0, 3);
    const targets = [...members, ...live].map((n) => (ip ? { id: podIp(n) } : { id: n.id, port: 30000 + g }));
    return aws.elbv2.addTargetGroup({
      name: `k8s-bench-${g}`, vpcId, targetType: ip ? 'ip' : 'instance', port: ip ? 8080 : 80, targets,
      attributes: { 'deregistration_delay.timeout_seconds': '600' },
    });
  });
  const dyingIds = new Set(dying.map((n) => n.id));
  const dyingIps = new Set(dying.flatMap((n) => n.networkInterfaces.flatMap((e) => e.privateIps)));
  return {
    clusterName, vpcId, dying, quarantineSecurityGroupId, groups, dyingRegistrations,
    liveDyingRegistrations: () =>
      groups.reduce((n, g) => n + g.targets.filter((t) => t.drainingUntil === undefined && (dyingIds.has(t.id) || dyingIps.has(t.id))).length, 0),
    quarantinedNodes: () =>
      dying.filter((n) => n.networkInterfaces.every((e) => e.groups.length === 1 && e.groups[0] === quarantineSecurityGroupId)).length,
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
