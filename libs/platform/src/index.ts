export * from './config/journeyline-config';
export * from './stores/store-location';
export * from './churn-rules/load-churn-rules';
export * from './followers/followers';
export * from './logging/log';
export * from './startup/startup-error';
export * from './nest/platform.module';
export * from './nest/nest-log';
