export * from './key-vault.port';
export * from './sealed-value';
export * from './master-key';
export * from './personal-data';
export * from './sqlite/sqlite-key-vault';
export * from './postgres/postgres-key-vault';
