/**
 * Where customers' data keys live: apart from the log (a table of the same database for the
 * embedded store and for PostgreSQL), never in the events and never in a Kafka message. One row
 * per customer: its key, or, once erased, a tombstone without one, so that an erased customer
 * never gets a new key and personal data sent for them later is dropped instead of stored.
 *
 * Adapters (SQLite, PostgreSQL) are proven by the one contract suite in testing/key-vault.contract.ts.
 */
export interface VaultKey {
  customerId: string;
  /** Random, one per customer: named by every value sealed with the key. */
  keyId: string;
  /** The key as stored (wrapped when a master key is configured); null once erased. */
  material: Buffer | null;
  createdAt: string;
  erasedAt: string | null;
}

export interface NewDataKey {
  keyId: string;
  material: Buffer;
}

export interface ErasureOutcome {
  /** The key was destroyed by this call (false: it was erased before, or there never was one). */
  destroyed: boolean;
  erasedAt: string;
  /** Whether the database's files no longer hold the destroyed key (SQLite: checkpointed, secure_delete; PostgreSQL: the table rewritten). */
  filesScrubbed: boolean;
}

export interface KeyVault {
  readonly name: string;
  /** The rows of these customers; a customer without one gets a key made by `create`, atomically (two writers agree on one key). */
  keysFor(customerIds: readonly string[], create: () => NewDataKey): Promise<Map<string, VaultKey>>;
  /** The rows holding these key ids (unknown ids are missing from the map). */
  byKeyIds(keyIds: readonly string[]): Promise<Map<string, VaultKey>>;
  find(customerId: string): Promise<VaultKey | null>;
  /** Destroys the customer's key, leaving a tombstone (one is made for a customer who had no key). Asking again changes nothing. */
  erase(customerId: string, at: Date, tombstoneKeyId: string): Promise<ErasureOutcome>;
  /** The customers erased so far (tombstones), in customer id order: copies of read models made before an erasure forget what they derived from them. */
  erasedCustomers(): Promise<string[]>;
  /** Rows in customer id order after `afterCustomerId` (tombstones included): for copying a store. */
  page(afterCustomerId: string, limit: number): Promise<VaultKey[]>;
  /** Takes rows as another vault holds them (a copy): a row already here stays, except that an erasure always wins. */
  restore(rows: readonly VaultKey[]): Promise<void>;
  close(): Promise<void>;
}
