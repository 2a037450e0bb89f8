import { S3Backend, TerraformStack } from 'cdktf';
import { PlatformConfig } from './config';

/**
 * Local state by default; with `backend: 's3'`, one object per stack under the key prefix,
 * encrypted, with Terraform's native S3 lock file (no DynamoDB lock table).
 */
export function configureBackend(stack: TerraformStack, stackName: string, config: PlatformConfig): void {
  if (config.backend !== 's3') return;
  const backend = new S3Backend(stack, {
    bucket: config.stateBucket!,
    key: `${config.stateKeyPrefix}/${stackName}.tfstate`,
    region: config.stateRegion ?? config.region,
    encrypt: true,
  });
  // cdktf 0.21 predates `use_lockfile` (Terraform ≥ 1.10); the override writes it verbatim.
  backend.addOverride('use_lockfile', true);
}
