export * from './journey-generator';
export * from './seed-demo';
