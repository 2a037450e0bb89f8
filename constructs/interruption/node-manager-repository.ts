import { Construct } from 'constructs';
import { TerraformOutput, Token } from 'cdktf';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { terraformJson } from '../terraform-json';

export interface NodeManagerRepositoryProps {
  /**
   * Name of the repository: lower-case letters, digits, `.`, `_`, `-` and `/` (ECR's rule), ≤ 256.
   * @default - `<namePrefix>/node-manager`, or `node-manager` without a prefix
   */
  readonly repositoryName?: string;
  /** Prefix that keeps repositories of several clusters apart, usually the cluster name (lower-cased for ECR). @default - none */
  readonly namePrefix?: string;
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
      name: repositoryName(props),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [props.kmsKeyArn ? { encryptionType: 'KMS', kmsKey: props.kmsKeyArn } : { encryptionType: 'AES256' }],
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: repo.name,
      policy: terraformJson({
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

/** ECR repository names: lower-case path components of [a-z0-9] joined by `.`, `_` or `-`. */
const ECR_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function repositoryName(props: NodeManagerRepositoryProps): string {
  const prefix = props.namePrefix?.toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/[._-]{2,}/g, '-').replace(/^[._-]+|[._-]+$/g, '');
  const derived = prefix ? `${prefix}/node-manager` : 'node-manager';
  const name = props.repositoryName ?? derived;
  if (Token.isUnresolved(name) || (ECR_NAME.test(name) && name.length >= 2 && name.length <= 256)) return name;
  throw new Error(`NodeManagerRepository.repositoryName: '${name}' is not an ECR repository name. Fix: use 2–256 lower-case letters, digits and . _ - / (e.g. 'my-cluster/node-manager').`);
}
