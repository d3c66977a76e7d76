export * from './export-request';
export * from './exported-events';
export * from './exported-customers';
export * from './export-text';
