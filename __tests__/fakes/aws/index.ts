/**
 * Fake AWS endpoints for tests that run the real SDK v3 clients against simulated state.
 *
 *   const aws = await startFakeAws();                       // one 127.0.0.1 server per service
 *   const cluster = buildCluster(aws, { fillerTargetGroups: 450 });
 *   spawn('node', [lambdaBundle], { env: { ...process.env, ...aws.env } });
 *   aws.faults.throttle('elbv2', { action: 'DescribeTargetHealth', times: 2 });
 *   expect(aws.callsTo('elbv2', 'DeregisterTargets')).toHaveLength(3);
 *   await aws.close();
 */
export { startFakeAws, endpointEnvVar, type FakeAws, type FakeAwsOptions, type CallRecord } from './server';
export { buildCluster, type Cluster, type ClusterSpec } from './scenario';
export { manualClock, type ManualClock } from './clock';
export { FakeAwsError } from './protocol';
export type { ServiceName, FaultScope } from './faults';
export { RateLimits, DOCUMENTED_LIMITS, bucketOf, type BucketSpec } from './rate-limits';
export type { FakeInstance, FakeNetworkInterface, FakeSecurityGroup } from './ec2';
export type { FakeTarget, FakeTargetGroup, TargetGroupSpec } from './elbv2';
export type { PublishedMessage } from './sns';
export type { TableSpec } from './dynamodb';
export type { FakeQueue } from './sqs';
