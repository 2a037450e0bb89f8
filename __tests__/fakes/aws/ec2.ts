/**
 * Fake EC2 (EC2 query protocol): instances with their network interfaces and security groups,
 * enough for "does this instance belong to the cluster, what are its IPs, quarantine its ENIs".
 */
import { FakeAwsError, type WireFormat } from './protocol';
import { QueryParams } from './query-params';
import { renderInstance, renderNetworkInterface } from './ec2-xml';
import { FakeInstanceFate } from './ec2-fate';

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface FakeNetworkInterface {
  readonly id: string;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly deviceIndex: number;
  /** Security group ids, replaced by ModifyNetworkInterfaceAttribute / ModifyInstanceAttribute. */
  groups: string[];
  /** The first is the primary address; the rest are secondaries (pod IPs on the VPC CNI). */
  readonly privateIps: readonly string[];
}

export interface FakeInstance {
  readonly id: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly instanceType: string;
  readonly availabilityZone: string;
  readonly lifecycle: 'spot' | 'on-demand';
  state: InstanceStateName;
  readonly tags: Record<string, string>;
  readonly networkInterfaces: FakeNetworkInterface[];
}

export interface FakeSecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly vpcId: string;
}

const ID_PATTERNS = { instance: /^i-[0-9a-f]{8,17}$/, eni: /^eni-[0-9a-f]{8,17}$/, sg: /^sg-[0-9a-f]{8,17}$/ };

export class FakeEc2 {
  readonly format: WireFormat = { protocol: 'ec2', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' };
  readonly instances = new Map<string, FakeInstance>();
  readonly securityGroups = new Map<string, FakeSecurityGroup>();
  /** Spot request status and scheduled events: what confirms a notice. */
  readonly fate = new FakeInstanceFate();

  constructor(private readonly accountId: string) {}

  addSecurityGroup(group: FakeSecurityGroup): FakeSecurityGroup {
    if (!ID_PATTERNS.sg.test(group.id)) throw new Error(`security group id '${group.id}' must look like sg-0123456789abcdef0`);
    this.securityGroups.set(group.id, group);
    return group;
  }

  addInstance(instance: FakeInstance): FakeInstance {
    if (!ID_PATTERNS.instance.test(instance.id)) throw new Error(`instance id '${instance.id}' must look like i-0123456789abcdef0`);
    if (instance.networkInterfaces.length === 0) throw new Error(`instance ${instance.id}: networkInterfaces needs at least the primary ENI`);
    for (const eni of instance.networkInterfaces) {
      if (!ID_PATTERNS.eni.test(eni.id)) throw new Error(`ENI id '${eni.id}' must look like eni-0123456789abcdef0`);
      for (const g of eni.groups) this.requireGroupInVpc(g, eni.vpcId, `seed error: ENI ${eni.id} group`);
    }
    this.instances.set(instance.id, instance);
    return instance;
  }

  /** The ENI by id, among instances that still exist (ENIs are deleted on termination). */
  findNetworkInterface(id: string): { instance: FakeInstance; eni: FakeNetworkInterface } | undefined {
    for (const instance of this.instances.values()) {
      if (instance.state === 'terminated') continue;
      const eni = instance.networkInterfaces.find((n) => n.id === id);
      if (eni) return { instance, eni };
    }
    return undefined;
  }

  throttlingError(): FakeAwsError {
    return new FakeAwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
  }

  invalidParameter(name: string, problem: string): FakeAwsError {
    return new FakeAwsError('MissingParameter', `The request must contain a valid parameter ${name}: it ${problem}`);
  }

  handle(action: string, params: QueryParams): string {
    switch (action) {
      case 'DescribeInstances': return this.describeInstances(params);
      case 'DescribeNetworkInterfaces': return this.describeNetworkInterfaces(params);
      case 'ModifyNetworkInterfaceAttribute': return this.modifyNetworkInterfaceAttribute(params);
      case 'ModifyInstanceAttribute': return this.modifyInstanceAttribute(params);
      default: {
        const answer = this.fate.handle(action, params, this.instances);
        if (answer === undefined) throw new FakeAwsError('InvalidAction', `The fake EC2 does not implement ${action}`);
        return answer;
      }
    }
  }

  private describeInstances(params: QueryParams): string {
    const ids = params.list('InstanceId');
    const maxResults = params.int('MaxResults', 5, 1000);
    if (ids.length && maxResults !== undefined) {
      throw new FakeAwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
    }
    for (const id of ids) if (!ID_PATTERNS.instance.test(id)) throw new FakeAwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    const missing = ids.filter((id) => !this.instances.has(id));
    if (missing.length) {
      throw new FakeAwsError(
        'InvalidInstanceID.NotFound',
        missing.length === 1 ? `The instance ID '${missing[0]}' does not exist` : `The instance IDs '${missing.join(', ')}' do not exist`,
      );
    }
    const filters = readFilters(params);
    const all = ids.length ? ids.map((id) => this.instances.get(id)!) : [...this.instances.values()];
    const matching = all.filter((i) => filters.every((f) => f.values.some((v) => instanceFilterValues(i, f.name).includes(v))));
    const { page, nextToken } = paginate(matching, params.get('NextToken'), maxResults);
    const reservations = page.map(
      (i) => `<item><reservationId>r-${i.id.slice(2)}</reservationId><ownerId>${this.accountId}</ownerId>` +
        `<groupSet/><instancesSet><item>${renderInstance(i, this.securityGroups)}</item></instancesSet></item>`,
    );
    return `<reservationSet>${reservations.join('')}</reservationSet>` + (nextToken ? `<nextToken>${nextToken}</nextToken>` : '');
  }

  private describeNetworkInterfaces(params: QueryParams): string {
    const ids = params.list('NetworkInterfaceId');
    const missing = ids.filter((id) => !this.findNetworkInterface(id));
    if (missing.length) throw new FakeAwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${missing[0]}' does not exist`);
    const filters = readFilters(params);
    const items: string[] = [];
    for (const instance of this.instances.values()) {
      if (instance.state === 'terminated') continue;
      for (const eni of instance.networkInterfaces) {
        if (ids.length && !ids.includes(eni.id)) continue;
        if (!filters.every((f) => f.values.some((v) => eniFilterValues(instance, eni, f.name).includes(v)))) continue;
        items.push(`<item>${renderNetworkInterface(instance, eni, this.securityGroups)}</item>`);
      }
    }
    return `<networkInterfaceSet>${items.join('')}</networkInterfaceSet>`;
  }

  private modifyNetworkInterfaceAttribute(params: QueryParams): string {
    const id = params.required('NetworkInterfaceId');
    const groups = params.list('SecurityGroupId');
    if (!groups.length) throw this.invalidParameter('SecurityGroupId.N', 'is the only attribute this fake supports, and none was given');
    const found = this.findNetworkInterface(id);
    if (!found) throw new FakeAwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
    for (const g of groups) this.requireGroupInVpc(g, found.eni.vpcId, found.eni.subnetId);
    found.eni.groups = [...groups];
    return '<return>true</return>';
  }

  /** `Groups` replaces the security groups of the primary ENI (device index 0) only. */
  private modifyInstanceAttribute(params: QueryParams): string {
    const id = params.required('InstanceId');
    const groups = params.list('GroupId');
    if (!groups.length) throw this.invalidParameter('GroupId.N', 'is the only attribute this fake supports, and none was given');
    const instance = this.instances.get(id);
    if (!instance) throw new FakeAwsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    if (instance.state === 'terminated') {
      throw new FakeAwsError('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be modified.`);
    }
    const primary = instance.networkInterfaces.find((n) => n.deviceIndex === 0) ?? instance.networkInterfaces[0]!;
    for (const g of groups) this.requireGroupInVpc(g, primary.vpcId, primary.subnetId);
    primary.groups = [...groups];
    return '<return>true</return>';
  }

  private requireGroupInVpc(groupId: string, vpcId: string, where: string): void {
    const group = this.securityGroups.get(groupId);
    if (!group) throw new FakeAwsError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    if (group.vpcId !== vpcId) {
      throw new FakeAwsError('InvalidParameter', `Security group ${groupId} and subnet ${where} belong to different networks.`);
    }
  }
}

interface Filter { readonly name: string; readonly values: readonly string[] }

function readFilters(params: QueryParams): Filter[] {
  return params.structs('Filter').map((f) => ({ name: f.required('Name'), values: f.list('Value') }));
}

function instanceFilterValues(i: FakeInstance, name: string): string[] {
  if (name.startsWith('tag:')) {
    const value = i.tags[name.slice(4)];
    return value === undefined ? [] : [value];
  }
  switch (name) {
    case 'instance-id': return [i.id];
    case 'vpc-id': return [i.vpcId];
    case 'instance-state-name': return [i.state];
    case 'tag-key': return Object.keys(i.tags);
    case 'network-interface.network-interface-id': return i.networkInterfaces.map((n) => n.id);
    case 'network-interface.addresses.private-ip-address': return i.networkInterfaces.flatMap((n) => n.privateIps);
    default: throw new FakeAwsError('InvalidParameterValue', `The filter '${name}' is invalid (or not implemented by the fake EC2)`);
  }
}

function eniFilterValues(i: FakeInstance, eni: FakeNetworkInterface, name: string): string[] {
  switch (name) {
    case 'attachment.instance-id': return [i.id];
    case 'vpc-id': return [eni.vpcId];
    case 'network-interface-id': return [eni.id];
    case 'group-id': return eni.groups;
    case 'addresses.private-ip-address': return [...eni.privateIps];
    default: throw new FakeAwsError('InvalidParameterValue', `The filter '${name}' is invalid (or not implemented by the fake EC2)`);
  }
}

/** Opaque offset tokens, as EC2's NextToken is opaque to callers. */
function paginate<T>(items: readonly T[], token: string | undefined, max: number | undefined): { page: T[]; nextToken?: string } {
  const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new FakeAwsError('InvalidParameterValue', `Invalid NextToken '${token}'`);
  }
  const end = max === undefined ? items.length : Math.min(items.length, start + max);
  return { page: items.slice(start, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}
