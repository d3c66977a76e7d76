export * from './targets.projection';
export * from './targets.queries';
