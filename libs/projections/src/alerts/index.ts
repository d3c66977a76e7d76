export * from './alert-process';
export * from './alerts.queries';
export * from './scope-reading.queries';
