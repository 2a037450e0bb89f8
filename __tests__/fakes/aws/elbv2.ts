/**
 * Fake Elastic Load Balancing v2 (awsQuery protocol): target groups with registered targets.
 * Deregistered targets drain for the group's `deregistration_delay.timeout_seconds` (on the
 * injected clock) and then disappear, as they do in AWS.
 */
import { escapeXml, FakeAwsError, node, tag, xmlList, type WireFormat } from './protocol';
import { QueryParams } from './query-params';

export type TargetType = 'instance' | 'ip';
export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unavailable';

export interface FakeTarget {
  readonly id: string;
  readonly port: number;
  health: TargetHealthState;
  /** Set by DeregisterTargets: the clock time at which draining ends and the target is gone. */
  drainingUntil?: number;
}

export interface FakeTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly vpcId: string;
  readonly targetType: TargetType;
  readonly port: number;
  readonly protocol: string;
  readonly loadBalancerArns: readonly string[];
  readonly attributes: Record<string, string>;
  readonly targets: FakeTarget[];
  /** Resource tags, e.g. the AWS Load Balancer Controller's `elbv2.k8s.aws/cluster`. */
  readonly tags: Record<string, string>;
}

export interface TargetGroupSpec {
  readonly name: string;
  readonly vpcId: string;
  readonly targetType: TargetType;
  /** The group's default port: a target named without a port means this one. */
  readonly port: number;
  readonly protocol?: string;
  readonly loadBalancerArns?: readonly string[];
  /** Overrides of the defaults, e.g. `{ 'deregistration_delay.timeout_seconds': '30' }`. */
  readonly attributes?: Record<string, string>;
  readonly targets?: ReadonlyArray<{ readonly id: string; readonly port?: number; readonly health?: TargetHealthState }>;
  /** Resource tags. @default {} */
  readonly tags?: Record<string, string>;
}

const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'load_balancing.algorithm.type': 'round_robin',
  'slow_start.duration_seconds': '0',
};
const MAX_PAGE_SIZE = 400;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

export class FakeElbv2 {
  readonly format: WireFormat = { protocol: 'query', xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/' };
  readonly targetGroups = new Map<string, FakeTargetGroup>();

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly now: () => number,
  ) {}

  addTargetGroup(spec: TargetGroupSpec): FakeTargetGroup {
    if (!/^[A-Za-z0-9-]{1,32}$/.test(spec.name)) throw new Error(`target group name '${spec.name}' must be 1-32 letters, digits or hyphens`);
    const suffix = (this.targetGroups.size + 1).toString(16).padStart(16, '0');
    const group: FakeTargetGroup = {
      arn: `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:targetgroup/${spec.name}/${suffix}`,
      name: spec.name,
      vpcId: spec.vpcId,
      targetType: spec.targetType,
      port: spec.port,
      protocol: spec.protocol ?? 'HTTP',
      loadBalancerArns: spec.loadBalancerArns ?? [],
      attributes: { ...DEFAULT_ATTRIBUTES, ...spec.attributes },
      targets: (spec.targets ?? []).map((t) => ({ id: t.id, port: t.port ?? spec.port, health: t.health ?? 'healthy' })),
      tags: { ...spec.tags },
    };
    for (const t of group.targets) this.requireTargetType(group, t.id);
    this.targetGroups.set(group.arn, group);
    return group;
  }

  /** Targets still registered (draining ones included until their delay has passed). */
  targetsOf(arn: string): FakeTarget[] {
    const group = this.requireGroup(arn);
    const now = this.now();
    for (let i = group.targets.length - 1; i >= 0; i--) {
      const until = group.targets[i]!.drainingUntil;
      if (until !== undefined && until <= now) group.targets.splice(i, 1);
    }
    return group.targets;
  }

  throttlingError(): FakeAwsError {
    return new FakeAwsError('Throttling', 'Rate exceeded', 400);
  }

  invalidParameter(name: string, problem: string): FakeAwsError {
    return new FakeAwsError('ValidationError', `1 validation error detected: Value at '${name}' ${problem}`);
  }

  handle(action: string, params: QueryParams): string {
    switch (action) {
      case 'DescribeTargetGroups': return this.describeTargetGroups(params);
      case 'DescribeTargetHealth': return this.describeTargetHealth(params);
      case 'DeregisterTargets': return this.deregisterTargets(params);
      case 'DescribeTargetGroupAttributes': return this.describeTargetGroupAttributes(params);
      case 'DescribeTags': return this.describeTags(params);
      default: throw new FakeAwsError('InvalidAction', `The fake ELBv2 does not implement ${action}`);
    }
  }

  private describeTargetGroups(params: QueryParams): string {
    const lbArn = params.get('LoadBalancerArn');
    const arns = params.list('TargetGroupArns.member');
    const names = params.list('Names.member');
    if ([lbArn !== undefined, arns.length > 0, names.length > 0].filter(Boolean).length > 1) {
      throw this.invalidParameter('LoadBalancerArn', 'must not be combined with TargetGroupArns or Names; give only one');
    }
    const pageSize = params.int('PageSize', 1, MAX_PAGE_SIZE) ?? MAX_PAGE_SIZE;
    let groups = [...this.targetGroups.values()];
    if (arns.length) groups = arns.map((a) => this.requireGroup(a));
    if (names.length) {
      groups = names.map((n) => groups.find((g) => g.name === n) ?? throwNotFound());
    }
    if (lbArn !== undefined) {
      groups = groups.filter((g) => g.loadBalancerArns.includes(lbArn));
      if (!groups.length) throw new FakeAwsError('LoadBalancerNotFound', `Load balancer '${lbArn}' not found`);
    }
    const marker = params.get('Marker');
    const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64url').toString());
    if (!Number.isInteger(start) || start < 0 || start > groups.length) throw this.invalidParameter('marker', 'is not a marker this API returned');
    const end = Math.min(groups.length, start + pageSize);
    const next = end < groups.length ? Buffer.from(String(end)).toString('base64url') : undefined;
    return xmlList('TargetGroups', 'member', groups.slice(start, end), renderTargetGroup) + tag('NextMarker', next);
  }

  private describeTargetHealth(params: QueryParams): string {
    const group = this.requireGroup(params.required('TargetGroupArn'));
    const registered = this.targetsOf(group.arn);
    const asked = this.readTargets(params, group);
    const descriptions = asked
      ? asked.map((a) => registered.find((t) => t.id === a.id && t.port === a.port) ?? { id: a.id, port: a.port, health: 'unused' as const })
      : registered;
    return xmlList('TargetHealthDescriptions', 'member', descriptions, (t) =>
      node('Target', tag('Id', t.id), tag('Port', t.port)) + tag('HealthCheckPort', String(t.port)) + renderHealth(t));
  }

  /** A target that is not registered (on that port) is not an error, as in AWS. */
  private deregisterTargets(params: QueryParams): string {
    const group = this.requireGroup(params.required('TargetGroupArn'));
    const asked = this.readTargets(params, group);
    if (!asked?.length) throw this.invalidParameter('targets', 'must not be empty');
    const delaySeconds = Number(group.attributes['deregistration_delay.timeout_seconds'] ?? '300');
    const registered = this.targetsOf(group.arn);
    for (const a of asked) {
      const target = registered.find((t) => t.id === a.id && t.port === a.port);
      if (target && target.drainingUntil === undefined) target.drainingUntil = this.now() + delaySeconds * 1000;
    }
    this.targetsOf(group.arn); // a zero delay removes at once
    return '';
  }

  /** At most 20 ARNs a call, as in AWS; only target groups exist in this fake. */
  private describeTags(params: QueryParams): string {
    const arns = params.list('ResourceArns.member');
    if (!arns.length) throw this.invalidParameter('resourceArns', 'must not be empty');
    if (arns.length > 20) throw this.invalidParameter('resourceArns', 'must have length less than or equal to 20');
    const groups = arns.map((a) => this.requireGroup(a));
    return xmlList('TagDescriptions', 'member', groups, (g) =>
      tag('ResourceArn', g.arn) + xmlList('Tags', 'member', Object.entries(g.tags), ([k, v]) => tag('Key', k) + tag('Value', v)));
  }

  private describeTargetGroupAttributes(params: QueryParams): string {
    const group = this.requireGroup(params.required('TargetGroupArn'));
    return xmlList('Attributes', 'member', Object.entries(group.attributes), ([k, v]) => tag('Key', k) + tag('Value', v));
  }

  /** `Targets.member.N.Id/Port`; a missing port means the group's port. Undefined when none given. */
  private readTargets(params: QueryParams, group: FakeTargetGroup): Array<{ id: string; port: number }> | undefined {
    const structs = params.structs('Targets.member');
    if (!structs.length) return undefined;
    return structs.map((s) => {
      const id = s.required('Id');
      this.requireTargetType(group, id);
      return { id, port: s.int('Port', 1, 65535) ?? group.port };
    });
  }

  private requireTargetType(group: FakeTargetGroup, id: string): void {
    const ok = group.targetType === 'instance' ? /^i-[0-9a-f]{8,17}$/.test(id) : IPV4.test(id);
    if (!ok) {
      // AWS rejects ids of the wrong kind; being strict here catches a handler mixing up target types.
      throw new FakeAwsError('InvalidTarget', `Target '${id}' is not a valid ${group.targetType} target for target group '${group.name}'`);
    }
  }

  private requireGroup(arn: string): FakeTargetGroup {
    return this.targetGroups.get(arn) ?? throwNotFound();
  }
}

function throwNotFound(): never {
  throw new FakeAwsError('TargetGroupNotFound', 'One or more target groups not found');
}

function renderHealth(t: { health: TargetHealthState | 'unused'; drainingUntil?: number }): string {
  if (t.drainingUntil !== undefined) {
    return node('TargetHealth', tag('State', 'draining'), tag('Reason', 'Target.DeregistrationInProgress'),
      tag('Description', 'Target deregistration is in progress'));
  }
  const reasons: Record<string, [string, string] | undefined> = {
    unused: ['Target.NotRegistered', 'Target is not registered to the target group'],
    initial: ['Elb.RegistrationInProgress', 'Target registration is in progress'],
    unhealthy: ['Target.FailedHealthChecks', 'Health checks failed'],
    unavailable: ['Target.HealthCheckDisabled', 'Health checks disabled'],
  };
  const [reason, description] = reasons[t.health] ?? [];
  return node('TargetHealth', tag('State', t.health), tag('Reason', reason), tag('Description', description));
}

function renderTargetGroup(g: FakeTargetGroup): string {
  return (
    tag('TargetGroupArn', g.arn) + tag('TargetGroupName', g.name) + tag('Protocol', g.protocol) + tag('Port', g.port) +
    tag('VpcId', g.vpcId) + tag('HealthCheckProtocol', g.protocol) + tag('HealthCheckPort', 'traffic-port') +
    tag('HealthCheckEnabled', true) + tag('TargetType', g.targetType) + tag('IpAddressType', 'ipv4') +
    xmlList('LoadBalancerArns', 'member', g.loadBalancerArns, escapeXml)
  );
}
