import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** The AWS provider every stack uses, tagging everything it creates with the cluster it belongs to. */
export function awsProvider(scope: Construct, region: string, clusterName: string): AwsProvider {
  return new AwsProvider(scope, 'aws', {
    region,
    defaultTags: [{ tags: { 'spot-ready-eks/cluster': clusterName, ManagedBy: 'cdktf' } }],
  });
}
