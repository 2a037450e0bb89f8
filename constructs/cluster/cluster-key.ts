import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';

export interface ClusterKeyProps {
  readonly clusterName: string;
}

/**
 * The cluster's customer-managed KMS key (rotation on): EKS secrets envelope encryption and the
 * cluster's CloudWatch log groups. Its key policy lets CloudWatch Logs use it only for this
 * account's log groups; everything else goes through IAM.
 */
export class ClusterKey extends Construct {
  readonly arn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: ClusterKeyProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const region = new DataAwsRegion(this, 'region').region;
    const partition = new DataAwsPartition(this, 'partition').partition;
    // Key policies are resource policies: "Resource": "*" means this key.
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AccountAdmin', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'CloudWatchLogs',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
        },
      ],
    });
    const key = new KmsKey(this, 'key', {
      description: `EKS ${props.clusterName}: secrets and logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy,
    });
    new KmsAlias(this, 'alias', { name: `alias/eks/${props.clusterName}`, targetKeyId: key.keyId });
    this.arn = key.arn;
    this.keyId = key.keyId;
  }
}
