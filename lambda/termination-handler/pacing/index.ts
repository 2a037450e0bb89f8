export { AdaptiveBucket, realClock, type AdaptiveBucketOptions, type PacerClock } from './bucket';
export { AWS_API_LIMITS, DEFAULT_RESERVED_SHARE, bucketKeyOf, type ApiGroup, type BucketLimit } from './limits';
export { Pacer, attachPacer, type PacerOptions } from './pacer';
