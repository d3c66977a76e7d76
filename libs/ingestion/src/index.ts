export * from './wire-event.dto';
export * from './wire-event-shape';
export * from './wire-event-parser';
export * from './record-customer-events';
export * from './customer-state-cache';
export * from './demo/journey-generator';
export * from './demo/seed-demo';
