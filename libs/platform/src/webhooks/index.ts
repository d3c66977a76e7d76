export * from './webhook-signature';
export * from './webhook-delivery';
