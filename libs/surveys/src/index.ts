export * from './survey';
export * from './survey-catalog';
export * from './survey-links';
export * from './survey-link-issued';
export * from './survey-scores';
export * from './survey-link-issuer';
