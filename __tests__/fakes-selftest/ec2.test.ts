import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { buildCluster, type Cluster } from '../fakes/aws';
import { startHarness, type Harness } from './harness';

let h: Harness;
let cluster: Cluster;

beforeAll(async () => {
  h = await startHarness();
  cluster = buildCluster(h.aws, { enis: 3, podIpsPerEni: 2 });
});
afterAll(() => h.close());

const groupsOf = (eniId: string) => h.aws.ec2.findNetworkInterface(eniId)!.eni.groups;

describe('fake EC2 through the real SDK (EC2 query)', () => {
  it('describes an instance with its VPC, tags, ENIs and every private address', async () => {
    const out = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [cluster.node.id] }));
    const instance = out.Reservations![0]!.Instances![0]!;
    expect(instance).toMatchObject({
      InstanceId: cluster.node.id,
      VpcId: cluster.vpcId,
      State: { Code: 16, Name: 'running' },
      InstanceLifecycle: 'spot',
      SecurityGroups: [{ GroupId: cluster.nodeSecurityGroupId, GroupName: 'eks-node' }],
    });
    expect(instance.Tags).toContainEqual({ Key: cluster.clusterTag.key, Value: cluster.clusterTag.value });
    expect(instance.NetworkInterfaces).toHaveLength(3);
    const ips = instance.NetworkInterfaces!.flatMap((n) => n.PrivateIpAddresses!.map((a) => a.PrivateIpAddress));
    expect(ips.sort()).toEqual([...cluster.nodeIps].sort());
    const primaries = instance.NetworkInterfaces!.flatMap((n) => n.PrivateIpAddresses!.filter((a) => a.Primary));
    expect(primaries).toHaveLength(3);
  });

  it('answers an unknown or malformed instance id with the EC2 error codes', async () => {
    await expect(h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000dead'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0000000000000dead' does not exist",
    });
    await expect(h.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['node-1'] }))).rejects.toMatchObject({
      name: 'InvalidInstanceID.Malformed',
    });
  });

  it('filters by tag and pages with MaxResults', async () => {
    const tagged = await h.ec2.send(new DescribeInstancesCommand({
      Filters: [{ Name: `tag:${cluster.clusterTag.key}`, Values: [cluster.clusterTag.value] }],
    }));
    const ids = tagged.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId));
    expect(ids.sort()).toEqual([cluster.node.id, cluster.peer.id].sort());

    for (let n = 1; n <= 4; n++) {
      const eni = { ...cluster.stranger.networkInterfaces[0]!, id: `eni-00000000000000${n}a0` };
      h.aws.ec2.addInstance({ ...cluster.stranger, id: `i-00000000000000${n}a0`, tags: {}, networkInterfaces: [eni] });
    }
    const paged: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances({ client: h.ec2, pageSize: 5 }, {})) {
      pages++;
      paged.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
    }
    expect(pages).toBe(2);
    expect(paged.sort()).toEqual([...h.aws.ec2.instances.keys()].sort());
  });

  it('replaces the security groups of one ENI with ModifyNetworkInterfaceAttribute', async () => {
    const [, second, third] = cluster.node.networkInterfaces;
    await h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: second!.id, Groups: [cluster.quarantineSecurityGroupId] }));
    expect(groupsOf(second!.id)).toEqual([cluster.quarantineSecurityGroupId]);
    expect(groupsOf(third!.id)).toEqual([cluster.nodeSecurityGroupId]);
    const enis = await h.ec2.send(new DescribeNetworkInterfacesCommand({
      Filters: [{ Name: 'attachment.instance-id', Values: [cluster.node.id] }],
    }));
    const described = enis.NetworkInterfaces!.find((n) => n.NetworkInterfaceId === second!.id)!;
    expect(described.Groups!.map((g) => g.GroupId)).toEqual([cluster.quarantineSecurityGroupId]);
    expect(described.Attachment).toMatchObject({ InstanceId: cluster.node.id, DeviceIndex: 1 });
  });

  it('ModifyInstanceAttribute Groups replaces only the primary ENI', async () => {
    const [primary, , third] = cluster.node.networkInterfaces;
    await h.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: cluster.node.id, Groups: [cluster.quarantineSecurityGroupId] }));
    expect(groupsOf(primary!.id)).toEqual([cluster.quarantineSecurityGroupId]);
    expect(groupsOf(third!.id)).toEqual([cluster.nodeSecurityGroupId]);
  });

  it('rejects unknown ENIs, unknown groups and groups from another VPC', async () => {
    const eni = cluster.peer.networkInterfaces[0]!.id;
    await expect(h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: 'eni-0000000000000beef', Groups: [cluster.quarantineSecurityGroupId] })))
      .rejects.toMatchObject({ name: 'InvalidNetworkInterfaceID.NotFound' });
    await expect(h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Groups: ['sg-0000000000000ffff'] })))
      .rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
    await expect(h.ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Groups: ['sg-0000000000000b001'] })))
      .rejects.toMatchObject({ name: 'InvalidParameter' });
    expect(groupsOf(eni)).toEqual([cluster.nodeSecurityGroupId]);
  });

  it('hides a terminated instance\'s ENIs and surfaces throttling as RequestLimitExceeded', async () => {
    h.aws.ec2.instances.get(cluster.stranger.id)!.state = 'terminated';
    const out = await h.ec2.send(new DescribeInstancesCommand({ InstanceIds: [cluster.stranger.id] }));
    expect(out.Reservations![0]!.Instances![0]).toMatchObject({ State: { Code: 48, Name: 'terminated' } });
    expect(out.Reservations![0]!.Instances![0]!.NetworkInterfaces ?? []).toHaveLength(0);

    h.aws.faults.throttle('ec2', { times: 1 });
    await expect(h.clients({ maxAttempts: 1 }).ec2.send(new DescribeInstancesCommand({ InstanceIds: [cluster.node.id] })))
      .rejects.toMatchObject({ name: 'RequestLimitExceeded', $metadata: expect.objectContaining({ httpStatusCode: 503 }) });
  });
});
