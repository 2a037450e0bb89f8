export * from './spot-node-group';
export * from './cluster-autoscaler';
export { autoscalerOwnerTagKey, clusterAutoscalerTags } from './autoscaler-tags';
export { asgInstanceRequirements, DEFAULT_REQUIREMENTS, type OnDemandAllocationStrategy } from './instance-selection';
