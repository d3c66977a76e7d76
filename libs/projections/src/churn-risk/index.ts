/** Churn-risk flags: the process manager that raises and clears them, their read model and its queries. */
export * from './churn-risk.process';
export * from './churn-risk.projection';
export * from './churn-risk.queries';
export * from './churn-risk.what-if';
