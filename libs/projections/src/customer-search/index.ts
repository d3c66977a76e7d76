/** The customer search: a blind index of names, e-mails and phones (never the values), and its query. */
export * from './search-tokens';
export * from './customer-search.projection';
export * from './customer-search.queries';
