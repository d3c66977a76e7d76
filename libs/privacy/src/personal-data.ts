import { hkdfSync, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { COMMAND_EVENT_TYPE, personalFieldsOf, type CustomerCommand, type PortraitField } from '@journeyline/journey';
import type { ErasureOutcome, KeyVault, VaultKey } from './key-vault.port';
import { unwrapDataKey, wrapDataKey } from './master-key';
import { isSealed, keyIdOfSealed, openDataKey, seal, unseal, type OpenDataKey } from './sealed-value';

export interface PersonalDataOptions {
  /** JOURNEYLINE_MASTER_KEY (32 bytes): wraps data keys at rest. */
  masterKey: Buffer | null;
  /** Portrait fields this deployment declares personal (JOURNEYLINE_PERSONAL_FIELDS). */
  personalPortrait: readonly PortraitField[];
}

/** What the vault holds about one customer (for a subject access export): never the key itself. */
export interface KeyStatus {
  keyId: string;
  createdAt: string;
  erasedAt: string | null;
}

/**
 * Personal data at rest: sealed on the way in, opened on the way out, erased by destroying a key.
 *
 * - `sealCommands` seals the personal fields (libs/journey personal-fields.ts) of commands before
 *   they are decided and stored; a customer who has been erased gets no new key, and personal
 *   fields sent for them are dropped.
 * - `reveal` opens every sealed value anywhere in an answer (an API answer, an export); a value
 *   whose key is destroyed reads as null.
 * - `erase` destroys a customer's key; everything sealed with it, in the log, the read models,
 *   copies and backups of them, can no longer be read.
 */
export class PersonalData {
  constructor(
    readonly vault: KeyVault,
    private readonly options: PersonalDataOptions,
  ) {}

  private searchKeyBytes: Buffer | null = null;

  /**
   * The key of the customer search's blind index (HMAC of normalised prefixes, never the values),
   * derived from the master key (from nothing without one, as the session secret is).
   */
  get searchKey(): Buffer {
    this.searchKeyBytes ??= Buffer.from(hkdfSync('sha256', this.options.masterKey ?? Buffer.alloc(0), Buffer.alloc(0), 'journeyline customer search v1', 32));
    return this.searchKeyBytes;
  }

  async sealCommands(commands: readonly CustomerCommand[]): Promise<CustomerCommand[]> {
    const fieldsOf = commands.map((command) =>
      personalFieldsOf(COMMAND_EVENT_TYPE[command.type], this.options.personalPortrait).filter((field) => typeof ownValue(command.data, field) === 'string'),
    );
    const personal = commands.filter((_, i) => fieldsOf[i].length > 0);
    if (personal.length === 0) return [...commands];
    const rows = await this.vault.keysFor(
      personal.map((c) => c.customerId),
      () => ({ keyId: newKeyId(), material: wrapDataKey(randomBytes(32), this.options.masterKey) }),
    );
    const keys = new Map<string, OpenDataKey | null>();
    for (const [customerId, row] of rows) keys.set(customerId, this.open(row));
    return commands.map((command, i) => {
      const fields = fieldsOf[i];
      if (fields.length === 0) return command;
      const key = keys.get(command.customerId) ?? null;
      const data: Record<string, unknown> = { ...command.data };
      for (const field of fields) {
        if (key) data[field] = seal(key, field, data[field] as string);
        else delete data[field];
      }
      return { ...command, data } as CustomerCommand;
    });
  }

  /** A copy of `value` with every sealed string opened (null where the key is destroyed); `value` itself when it holds none. */
  async reveal<T>(value: T): Promise<T> {
    const keyIds = new Set<string>();
    collectKeyIds(value, keyIds);
    if (keyIds.size === 0) return value;
    const rows = await this.vault.byKeyIds([...keyIds]);
    const keys = new Map<string, OpenDataKey | null>();
    for (const keyId of keyIds) {
      const row = rows.get(keyId);
      keys.set(keyId, row ? this.open(row) : null);
    }
    return openAll(value, keys) as T;
  }

  async erase(customerId: string, at = new Date()): Promise<ErasureOutcome> {
    return this.vault.erase(customerId, at, newKeyId());
  }

  /** The customers erased so far: what a copy of the read models made before their erasure must forget (as-of snapshots). */
  erasedCustomers(): Promise<string[]> {
    return this.vault.erasedCustomers();
  }

  async status(customerId: string): Promise<KeyStatus | null> {
    const row = await this.vault.find(customerId);
    return row ? { keyId: row.keyId, createdAt: row.createdAt, erasedAt: row.erasedAt } : null;
  }

  /**
   * Keys opened lately, by key id: opening derives two keys (HKDF), which was a third of the
   * sealing's cost on the write path (bench/write-path.bench.ts) for a customer seen batch after
   * batch. Only the derivation is kept: the vault row is still read every time, so an erased key
   * (material gone) is never used, and an entry counts only for the very material it came from.
   */
  private readonly opened = new LRUCache<string, { material: Buffer; key: OpenDataKey }>({ max: 10_000 });

  private open(row: VaultKey): OpenDataKey | null {
    if (!row.material || row.erasedAt !== null) return null;
    const known = this.opened.get(row.keyId);
    if (known && known.material.equals(row.material)) return known.key;
    const key = openDataKey(row.keyId, unwrapDataKey(row.material, this.options.masterKey));
    this.opened.set(row.keyId, { material: Buffer.from(row.material), key });
    return key;
  }
}

function newKeyId(): string {
  return randomBytes(8).toString('hex');
}

function ownValue(data: object, field: string): unknown {
  return Object.prototype.hasOwnProperty.call(data, field) ? (data as Record<string, unknown>)[field] : undefined;
}

function collectKeyIds(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    const keyId = isSealed(value) ? keyIdOfSealed(value) : null;
    if (keyId) into.add(keyId);
  } else if (Array.isArray(value)) {
    for (const item of value) collectKeyIds(item, into);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) collectKeyIds(value[key], into);
  }
}

function openAll(value: unknown, keys: ReadonlyMap<string, OpenDataKey | null>): unknown {
  if (typeof value === 'string') {
    const keyId = isSealed(value) ? keyIdOfSealed(value) : null;
    if (keyId === null) return value;
    const key = keys.get(keyId);
    return key ? unseal(key, value) : null;
  }
  if (Array.isArray(value)) return value.map((item) => openAll(item, keys));
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = openAll(value[key], keys);
    return copy;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
