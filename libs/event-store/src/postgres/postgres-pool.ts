import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { toStoreError } from './postgres-unavailable';

/**
 * A pool that survives an outage: a connection that fails while idle is dropped (the 'error'
 * listener keeps it from crashing the process) and the next query opens a new one; connecting
 * gives up after 5 s instead of hanging on an unreachable host.
 */
export function createPool(config: PoolConfig): Pool {
  const pool = new Pool({
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'journeyline',
    ...config,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** A pooled connection held for a transaction, and how to give it back. */
export interface CheckedOutClient {
  client: PoolClient;
  /** Returns it to the pool, or closes it when `discard` is given or the connection failed meanwhile. */
  release(discard?: Error): void;
}

/**
 * Checks a connection out for a transaction. node-postgres only listens for errors on idle
 * connections; one that the server drops while checked out (a restart during a transaction that
 * awaits something else) would emit an unhandled 'error' and crash the process. This listens
 * while it is out, and closes it instead of pooling it if that happened.
 * @throws StoreUnavailableError when no connection can be made
 */
export async function checkOut(pool: Pool, what: string): Promise<CheckedOutClient> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toStoreError(error, what);
  }
  let failure: Error | undefined;
  const onError = (error: Error) => {
    failure ??= error;
  };
  client.on('error', onError);
  return {
    client,
    release(discard?: Error) {
      client.removeListener('error', onError);
      client.release(discard ?? failure);
    },
  };
}
