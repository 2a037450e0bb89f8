import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { RotatingKey } from '../iam/rotating-key';

export interface ClusterKeyProps {
  readonly clusterName: string;
}

/**
 * The cluster's customer-managed KMS key (rotation on): EKS secrets envelope encryption and the
 * cluster's CloudWatch log groups. CloudWatch Logs may use it only for this account's log groups.
 */
export class ClusterKey extends Construct {
  readonly arn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: ClusterKeyProps) {
    super(scope, id);
    const key = new RotatingKey(this, 'key', {
      description: `EKS ${props.clusterName}: secrets and logs`,
      serviceStatements: ({ account, partition, region }) => [
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
    new KmsAlias(this, 'alias', { name: `alias/eks/${props.clusterName}`, targetKeyId: key.keyId });
    this.arn = key.arn;
    this.keyId = key.keyId;
  }
}
