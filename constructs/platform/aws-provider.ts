import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/**
 * The AWS provider every stack uses, tagging everything it creates with the cluster it belongs to
 * and the config's `tags` (the project's two tags win a clash: other parts of the platform find
 * resources by them).
 */
export function awsProvider(scope: Construct, region: string, clusterName: string, tags: Record<string, string> = {}): AwsProvider {
  return new AwsProvider(scope, 'aws', {
    region,
    defaultTags: [{ tags: { ...tags, 'spot-ready-eks/cluster': clusterName, ManagedBy: 'cdktf' } }],
  });
}
