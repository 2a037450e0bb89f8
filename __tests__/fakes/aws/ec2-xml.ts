/**
 * EC2 response XML for instances and network interfaces, with the element names the SDK's
 * schema expects (`instancesSet`, `networkInterfaceSet`, `privateIpAddressesSet`, `<item>` lists).
 */
import type { FakeInstance, FakeNetworkInterface, FakeSecurityGroup, InstanceStateName } from './ec2';
import { node, tag, xmlList } from './protocol';

const INSTANCE_STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
};

type Groups = ReadonlyMap<string, FakeSecurityGroup>;

function groupSet(ids: readonly string[], groups: Groups): string {
  return xmlList('groupSet', 'item', ids, (id) => tag('groupId', id) + tag('groupName', groups.get(id)?.name));
}

function primaryEni(i: FakeInstance): FakeNetworkInterface {
  return i.networkInterfaces.find((n) => n.deviceIndex === 0) ?? i.networkInterfaces[0]!;
}

function privateIps(eni: FakeNetworkInterface): string {
  return xmlList('privateIpAddressesSet', 'item', eni.privateIps, (ip) =>
    tag('privateIpAddress', ip) + tag('primary', ip === eni.privateIps[0]));
}

export function renderInstance(i: FakeInstance, groups: Groups): string {
  const primary = primaryEni(i);
  const live = i.state !== 'terminated';
  const enis = live ? i.networkInterfaces : [];
  return (
    tag('instanceId', i.id) +
    tag('instanceType', i.instanceType) +
    node('placement', tag('availabilityZone', i.availabilityZone)) +
    node('instanceState', tag('code', INSTANCE_STATE_CODES[i.state]), tag('name', i.state)) +
    tag('privateIpAddress', live ? primary.privateIps[0] : undefined) +
    tag('subnetId', live ? i.subnetId : undefined) +
    tag('vpcId', live ? i.vpcId : undefined) +
    (i.lifecycle === 'spot' ? tag('instanceLifecycle', 'spot') : '') +
    groupSet(live ? primary.groups : [], groups) +
    xmlList('tagSet', 'item', Object.entries(i.tags), ([k, v]) => tag('key', k) + tag('value', v)) +
    xmlList('networkInterfaceSet', 'item', enis, (eni) =>
      tag('networkInterfaceId', eni.id) +
      tag('subnetId', eni.subnetId) +
      tag('vpcId', eni.vpcId) +
      tag('status', 'in-use') +
      tag('privateIpAddress', eni.privateIps[0]) +
      node('attachment', tag('attachmentId', `eni-attach-${eni.id.slice(4)}`), tag('deviceIndex', eni.deviceIndex), tag('status', 'attached')) +
      groupSet(eni.groups, groups) +
      privateIps(eni))
  );
}

export function renderNetworkInterface(i: FakeInstance, eni: FakeNetworkInterface, groups: Groups): string {
  return (
    tag('networkInterfaceId', eni.id) +
    tag('subnetId', eni.subnetId) +
    tag('vpcId', eni.vpcId) +
    tag('availabilityZone', i.availabilityZone) +
    tag('status', 'in-use') +
    tag('privateIpAddress', eni.privateIps[0]) +
    node('attachment', tag('attachmentId', `eni-attach-${eni.id.slice(4)}`), tag('instanceId', i.id),
      tag('deviceIndex', eni.deviceIndex), tag('status', 'attached')) +
    groupSet(eni.groups, groups) +
    privateIps(eni)
  );
}
