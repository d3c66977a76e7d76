/** Churn-risk flags: rules as data, a pure evaluator over a customer's facts, and a decider. */
export * from './churn-rules';
export * from './churn-rules-config';
export * from './churn-risk-evaluator';
export * from './churn-risk-decider';
export { CUSTOMER_CHURNED_REASON } from './churn-rule-trackers';
