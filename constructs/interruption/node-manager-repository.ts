import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';

export interface NodeManagerRepositoryProps {
  /** @default 'node-manager' */
  readonly repositoryName?: string;
  /** KMS key for images at rest. @default - AES256 (ECR-managed) */
  readonly kmsKeyArn?: string;
  /** Tagged images kept. @default 20 */
  readonly keepImages?: number;
}

/** The node-manager image's ECR repository: scan on push, immutable tags, bounded history. */
export class NodeManagerRepository extends Construct {
  readonly repositoryUrl: string;
  readonly repositoryArn: string;

  constructor(scope: Construct, id: string, props: NodeManagerRepositoryProps = {}) {
    super(scope, id);
    const repo = new EcrRepository(this, 'repository', {
      name: props.repositoryName ?? 'node-manager',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [props.kmsKeyArn ? { encryptionType: 'KMS', kmsKey: props.kmsKeyArn } : { encryptionType: 'AES256' }],
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: repo.name,
      policy: JSON.stringify({
        rules: [
          { rulePriority: 1, description: 'Drop untagged images after 7 days', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
          { rulePriority: 2, description: 'Keep the newest tagged images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.keepImages ?? 20 }, action: { type: 'expire' } },
        ],
      }),
    });
    this.repositoryUrl = repo.repositoryUrl;
    this.repositoryArn = repo.arn;
    new TerraformOutput(this, 'url', { value: repo.repositoryUrl, description: 'Push the node-manager image here (see README)' });
  }
}
