export * from './blocks';
export * from './provider';
export * from './ocean-aws';
export * from './ocean-aws-launch-spec';
export * from './mapping';
export * from './spotinst-capacity';
