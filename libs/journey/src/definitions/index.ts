/** Versioned definitions: the metric parameters and the churn-risk rules, each a numbered version in a stream of its own. */
export * from './definitions-errors';
export * from './metric-parameters';
export * from './metric-definitions-decider';
export * from './churn-rules-versions';
