import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { managedPolicyArn, policyDocument, serviceTrustPolicy } from '../iam/policy';
import { ClusterKey } from './cluster-key';
import { ClusterAccess } from './cluster-access';
import { ClusterAddons, DEFAULT_ADDONS } from './cluster-addons';
import { ClusterSecurityGroupRules } from './cluster-security-group-rules';
import { FargateProfiles } from './fargate-profiles';
import { tagResources } from './resource-tags';
import { EksClusterProps } from './eks-cluster-props';
import { validateClusterProps } from './validate-cluster-props';
import { NodeRole } from './node-role';
import { IEksCluster, INodeRole, clusterTagKey } from './cluster-reference';
export type { EksClusterProps } from './eks-cluster-props';
import { importCluster, lookupCluster, ClusterAttributes, ClusterLookupProps } from './import-cluster';

export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** Service CIDR we pin so node bootstrap (nodeadm `cidr`) can be rendered at synth. */
export const DEFAULT_SERVICE_CIDR = '172.20.0.0/16';

/**
 * An EKS control plane, secure by default: secrets encrypted with a rotating KMS key, all
 * control-plane logs kept, API-mode access entries, a private endpoint (public only for the CIDRs
 * you name), managed add-ons, and the node role + instance profile that worker capacity uses.
 */
export class EksCluster extends Construct implements IEksCluster {
  /** A cluster made elsewhere, from known attributes (no AWS call). */
  static fromAttributes(scope: Construct, id: string, attrs: ClusterAttributes): IEksCluster {
    return importCluster(scope, id, attrs);
  }

  /** A cluster made elsewhere, looked up by name with data sources at plan time. */
  static fromClusterName(scope: Construct, id: string, props: ClusterLookupProps): IEksCluster {
    return lookupCluster(scope, id, props);
  }

  readonly clusterName: string;
  readonly clusterArn: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly serviceIpv4Cidr: string;
  readonly kubernetesVersion: string;
  readonly clusterSecurityGroupId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly nodeRole: INodeRole;
  readonly oidcProvider?: { readonly arn: string; readonly issuerUrl: string };
  readonly clusterTagKey: string;
  /** The KMS key that encrypts secrets and this cluster's log groups. */
  readonly key: ClusterKey;
  /** The underlying `aws_eks_cluster`, for escape hatches. */
  readonly resource: EksClusterResource;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    validateClusterProps(props);
    const partition = new DataAwsPartition(this, 'partition').partition;
    this.clusterName = props.clusterName;
    this.kubernetesVersion = props.kubernetesVersion;
    this.serviceIpv4Cidr = props.serviceIpv4Cidr ?? DEFAULT_SERVICE_CIDR;
    this.vpcId = props.network.vpcId;
    this.privateSubnetIds = props.network.privateSubnetIds;
    this.clusterTagKey = clusterTagKey(props.clusterName);

    this.key = props.key ?? new ClusterKey(this, 'key', { clusterName: props.clusterName });
    const role = new IamRole(this, 'role', {
      namePrefix: 'eks-cluster-',
      assumeRolePolicy: serviceTrustPolicy('eks.amazonaws.com', ['sts:TagSession']),
    });
    new IamRolePolicyAttachment(this, 'role-policy', { role: role.name, policyArn: managedPolicyArn(partition, 'AmazonEKSClusterPolicy') });
    new IamRolePolicy(this, 'role-kms', {
      role: role.id,
      policy: policyDocument([{ actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], resources: [this.key.arn] }]),
    });
    const logs = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/eks/${props.clusterName}/cluster`, // the name EKS writes to
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: this.key.arn,
    });
    const publicCidrs = props.publicAccessCidrs ?? [];
    this.resource = new EksClusterResource(this, 'cluster', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: role.arn,
      bootstrapSelfManagedAddons: false, // the managed add-ons below replace them
      vpcConfig: {
        subnetIds: props.network.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.key.arn } },
      enabledClusterLogTypes: props.logTypes ?? CONTROL_PLANE_LOG_TYPES,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      kubernetesNetworkConfig: { serviceIpv4Cidr: this.serviceIpv4Cidr },
      upgradePolicy: { supportType: props.upgradePolicy ?? 'STANDARD' },
      dependsOn: [logs],
    });
    this.clusterArn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.certificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;

    const nodeRole = new NodeRole(this, 'node-role', { partition, ssmManagedInstanceCore: props.nodeSsmAccess });
    this.nodeRole = nodeRole;
    new ClusterAccess(this, 'access', {
      clusterName: this.resource.name,
      adminPrincipalArn: props.adminPrincipalArn,
      accessEntries: props.accessEntries,
      nodeRoleArn: nodeRole.roleArn,
      partition,
    });
    new ClusterAddons(this, 'addons', {
      clusterName: this.resource.name,
      clusterArn: this.resource.arn,
      partition,
      addons: props.addons ?? DEFAULT_ADDONS,
      configuration: props.addonConfiguration,
    });
    if (props.clusterSecurityGroupRules && Object.keys(props.clusterSecurityGroupRules).length > 0) {
      new ClusterSecurityGroupRules(this, 'security-group-rules', { securityGroupId: this.clusterSecurityGroupId, rules: props.clusterSecurityGroupRules });
    }
    if (props.fargateProfiles && Object.keys(props.fargateProfiles).length > 0) {
      new FargateProfiles(this, 'fargate', { clusterName: this.resource.name, partition, privateSubnetIds: this.privateSubnetIds, profiles: props.fargateProfiles });
    }
    tagResources(this, props.tags);

    if (props.oidcProvider ?? true) {
      const issuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;
      const oidc = new IamOpenidConnectProvider(this, 'oidc', { url: issuerUrl, clientIdList: ['sts.amazonaws.com'] });
      this.oidcProvider = { arn: oidc.arn, issuerUrl };
    }

    new TerraformOutput(this, 'endpoint-output', { value: this.endpoint, description: 'EKS API server endpoint' });
    new TerraformOutput(this, 'ca-output', { value: this.certificateAuthorityData, description: 'EKS cluster CA (base64)' });
    new TerraformOutput(this, 'name-output', { value: this.resource.name, description: 'EKS cluster name' });
    new TerraformOutput(this, 'node-role-output', { value: nodeRole.roleArn, description: 'IAM role of worker nodes' });
  }
}
