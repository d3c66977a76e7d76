/** Follow-ups: a bad answer opens one for the touchpoint's owner; people assign, note and resolve it. */
export * from './follow-up-events';
export * from './follow-up-reasons';
export * from './follow-up-opening';
export * from './follow-up-decider';
export * from './follow-up-stats';
