import { Construct } from 'constructs';
import { Fn, Op, TerraformSelf } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { policyDocument, sourcePinnedTrustPolicy } from '../iam/policy';
import { tagResources } from '../cluster/resource-tags';
import { tagsSchema, validated } from '../cluster/cluster-options-schema';

/** The VPC facts the cluster and its capacity need. */
export interface INetwork {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** @default [] for an imported network */
  readonly publicSubnetIds: string[];
}

export interface NetworkProps {
  /** Cluster name, for the subnet tags that load balancers and node discovery read. */
  readonly clusterName: string;
  /** @default '10.0.0.0/16' */
  readonly cidr?: string;
  /** Availability zones to use (2–6). @default 3 */
  readonly azCount?: number;
  /** One NAT gateway per AZ (resilient) or one in all (cheaper). @default 'single' */
  readonly natGateways?: 'single' | 'per-az';
  /** Days to keep VPC flow logs. @default 365 */
  readonly flowLogRetentionDays?: number;
  /** KMS key ARN that encrypts the flow-log group. @default - CloudWatch Logs' own encryption */
  readonly logKmsKeyArn?: string;
  /** Tags for every taggable resource of the network (a resource's own tags win). @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A VPC across N AZs with public subnets (load balancers, NAT) and private subnets (nodes and
 * pods: each private subnet is a /19 of a /16 because the VPC CNI gives every pod a VPC address).
 */
export class Network extends Construct implements INetwork {
  /** Use subnets that already exist instead of creating a VPC. */
  static fromIds(vpcId: string, privateSubnetIds: string[], publicSubnetIds: string[] = []): INetwork {
    return { vpcId, privateSubnetIds, publicSubnetIds };
  }

  readonly vpcId: string;
  readonly privateSubnetIds: string[] = [];
  readonly publicSubnetIds: string[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const cidr = props.cidr ?? '10.0.0.0/16';
    const azCount = props.azCount ?? 3;
    if (!Number.isInteger(azCount) || azCount < 2 || azCount > 6) {
      throw new Error(`Network.azCount must be a whole number from 2 to 6 (got ${azCount}): EKS needs two AZs, the subnet plan fits six`);
    }
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };
    const azs = new DataAwsAvailabilityZones(this, 'azs', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
      // element() wraps around: without this, more AZs than the region has would put two subnets in one AZ.
      lifecycle: {
        postcondition: [{ condition: Op.gte(Fn.lengthOf(TerraformSelf.getAny('names')), azCount), errorMessage: `azCount: ${azCount} is more than the available availability zones of this region; use fewer.` }],
      },
    });

    const vpc = new Vpc(this, 'vpc', { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: props.clusterName } });
    this.vpcId = vpc.id;
    // Lock down the default security group: nothing should use it, scanners check it.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: vpc.id, tags: { Name: `${props.clusterName}-default-unused` } });
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: props.clusterName } });

    const publicRoutes = new RouteTable(this, 'public-rt', {
      vpcId: vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${props.clusterName}-public` },
    });
    const nats: NatGateway[] = [];
    for (let i = 0; i < azCount; i++) {
      const az = Fn.element(azs.names, i);
      const pub = new Subnet(this, `public-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: Fn.cidrsubnet(cidr, 6, 56 + i), // the last /19 of the VPC, cut into /22s
        tags: { ...clusterTag, Name: `${props.clusterName}-public-${i}`, 'kubernetes.io/role/elb': '1' },
      });
      new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      this.publicSubnetIds.push(pub.id);
      if (i === 0 || props.natGateways === 'per-az') {
        const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: `${props.clusterName}-nat-${i}` } });
        nats.push(new NatGateway(this, `nat-${i}`, { subnetId: pub.id, allocationId: eip.id, tags: { Name: `${props.clusterName}-${i}` }, dependsOn: [igw] }));
      }
      const priv = new Subnet(this, `private-${i}`, {
        vpcId: vpc.id,
        availabilityZone: az,
        cidrBlock: Fn.cidrsubnet(cidr, 3, i),
        tags: {
          ...clusterTag,
          Name: `${props.clusterName}-private-${i}`,
          'kubernetes.io/role/internal-elb': '1',
          'karpenter.sh/discovery': props.clusterName,
        },
      });
      const privateRoutes = new RouteTable(this, `private-rt-${i}`, {
        vpcId: vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, nats.length - 1)].id }],
        tags: { Name: `${props.clusterName}-private-${i}` },
      });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: priv.id, routeTableId: privateRoutes.id });
      this.privateSubnetIds.push(priv.id);
    }
    this.addFlowLogs(vpc, props);
    tagResources(this, validated(tagsSchema, 'NetworkProps.tags', props.tags));
  }

  private addFlowLogs(vpc: Vpc, props: NetworkProps): void {
    const group = new CloudwatchLogGroup(this, 'flow-logs', {
      name: `/aws/vpc/${props.clusterName}/flow-logs`,
      retentionInDays: props.flowLogRetentionDays ?? 365,
      kmsKeyId: props.logKmsKeyArn,
    });
    const role = new IamRole(this, 'flow-logs-role', { namePrefix: 'vpc-flow-logs-', assumeRolePolicy: this.flowLogsTrust() });
    new IamRolePolicy(this, 'flow-logs-policy', {
      role: role.id,
      policy: policyDocument([
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [group.arn, `${group.arn}:*`] },
      ]),
    });
    new FlowLog(this, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestination: group.arn, iamRoleArn: role.arn });
  }

  /**
   * VPC Flow Logs may assume the role only for flow logs of this account and region (confused-deputy
   * guard; the flow log's id is unknown before it exists, hence `vpc-flow-log/*`).
   */
  private flowLogsTrust(): string {
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const region = new DataAwsRegion(this, 'region').region;
    return sourcePinnedTrustPolicy('vpc-flow-logs.amazonaws.com', { account, arnLike: `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` });
  }
}
