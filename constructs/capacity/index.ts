export * from './launch-spec';
export * from './validate-launch-spec';
export * from './kubernetes-syntax';
export * from './ami';
export * from './user-data';
export * from './engines/asg';
