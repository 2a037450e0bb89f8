/** Fake AWS endpoints for tests that run the real SDK v3 clients against simulated state. */
export { startFakeAws, endpointEnvVar, type FakeAws, type FakeAwsOptions, type CallRecord } from './server';
export { buildCluster, type Cluster, type ClusterSpec } from './scenario';
export { manualClock, type ManualClock } from './clock';
export { FakeAwsError } from './protocol';
export type { ServiceName, FaultScope } from './faults';
export type { FakeInstance, FakeNetworkInterface, FakeSecurityGroup } from './ec2';
export type { FakeTarget, FakeTargetGroup, TargetGroupSpec } from './elbv2';
export type { PublishedMessage } from './sns';
export type { TableSpec } from './dynamodb';
export type { FakeQueue } from './sqs';
