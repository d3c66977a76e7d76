/**
 * The slice of SQL the projections need, the same on SQLite and PostgreSQL: statements use `?`
 * placeholders (the Postgres adapter numbers them) and portable SQL (`INSERT ... ON CONFLICT DO
 * UPDATE`, window functions). Numbers come back as JavaScript numbers on both.
 */
export interface SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** One statement with parameters. */
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  /** A script of statements without parameters (schema changes). */
  exec(sql: string): Promise<void>;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /**
   * PostgreSQL: takes the schema's change lock for the rest of the transaction (the lock a script
   * takes), so a projector's writes and another process's schema set-up never hold each other's
   * locks in opposite orders. SQLite's single writer needs none.
   */
  lockSchemaChanges?(): Promise<void>;
}

/**
 * The table option that stores a SQLite table in its primary key's B-tree: for tables with a
 * composite or text key, one B-tree to write instead of two (the rowid table and the key's index).
 * PostgreSQL has no such option and needs none.
 */
export function clusteredByKey(tx: SqlExecutor): string {
  return tx.dialect === 'sqlite' ? ' WITHOUT ROWID' : '';
}

export const READ_MODEL_DATABASE = Symbol('READ_MODEL_DATABASE');

/** Where read models live. Queries read through `reader`; projector writes go through `transaction`. */
export interface ReadModelDatabase {
  readonly reader: SqlExecutor;
  /**
   * For the reads that sum many rows (metric cuts, metrics over a window): a reader that does not
   * hold the event loop while the database works (SQLite: a thread of its own; PostgreSQL's
   * reader already waits on the network). The same read models as `reader`.
   */
  readonly queries: SqlExecutor;
  /** Runs `work` in one transaction on a connection no one else writes through; rolls back on throw. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
