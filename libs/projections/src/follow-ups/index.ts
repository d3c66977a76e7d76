export * from './follow-ups.projection';
export * from './follow-ups.queries';
export * from './follow-up.process';
