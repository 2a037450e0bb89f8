export * from './alarms';
export * from './dashboard';
export * from './dashboard-body';
export * from './drill';
export * from './drill-policy';
export * from './handler-metrics';
export * from './handler-reference';
export * from './operations';
