export * from './wire/wire-event.dto';
export * from './wire/wire-event-shape';
export * from './wire/wire-event-parser';
export * from './record/record-customer-events';
export * from './record/customer-state-cache';
export * from './record/record-or-set-aside';
