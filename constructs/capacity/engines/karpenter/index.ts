export * from './karpenter-capacity';
export * from './manifests';
export * from './requirements';
export * from './controller-policy';
export * from './interruption-queue';
export * from './support';
