export * from './versioned-stream';
export * from './metric-definitions.registry';
export * from './churn-rules.registry';
