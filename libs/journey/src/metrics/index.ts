export * from './interval';
export * from './cx-metrics';
export * from './duration-sketch';
export * from './metric-definitions';
export * from './significance';
export * from './significance-attention';
export * from './explain';
