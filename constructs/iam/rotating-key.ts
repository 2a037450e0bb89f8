import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { terraformJson } from '../terraform-json';

/** Where the key lives, for the statements that let an AWS service use it. */
export interface KeyContext {
  readonly account: string;
  readonly partition: string;
  readonly region: string;
}

export interface RotatingKeyProps {
  readonly description: string;
  /** Key-policy statements for the AWS services that must use the key (logs, alarms, …). */
  readonly serviceStatements: (ctx: KeyContext) => object[];
}

/**
 * A customer-managed KMS key that rotates yearly, administered by the account (IAM decides who may
 * use it), plus the service statements a caller names. Key policies are resource policies:
 * `"Resource": "*"` in them means this key.
 */
export class RotatingKey extends Construct {
  readonly arn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: RotatingKeyProps) {
    super(scope, id);
    const ctx: KeyContext = {
      account: new DataAwsCallerIdentity(this, 'account').accountId,
      partition: new DataAwsPartition(this, 'partition').partition,
      region: new DataAwsRegion(this, 'region').region,
    };
    const key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: terraformJson({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AccountAdmin', Effect: 'Allow', Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.account}:root` }, Action: 'kms:*', Resource: '*' },
          ...props.serviceStatements(ctx),
        ],
      }),
    });
    this.arn = key.arn;
    this.keyId = key.keyId;
  }
}
