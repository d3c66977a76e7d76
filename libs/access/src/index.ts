export * from './scopes';
export * from './api-key-secret';
export * from './api-key-registry';
export * from './audit-trail';
