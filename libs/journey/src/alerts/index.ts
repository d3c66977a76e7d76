export * from './targets';
export * from './alert-events';
export * from './breach-rule';
export * from './alert-decider';
