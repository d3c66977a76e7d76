import { createHmac } from 'node:crypto';
import { WrongExpectedRevisionError, type AppendRequest, type EventStore, type NewEvent } from '@journeyline/event-store';
import { randomUUID } from 'node:crypto';
import { equalBytes, hashChosenKey, hashMadeKey, keyIdOf, keyMatches, MIN_CHOSEN_KEY_LENGTH, newApiKey, newKeyId, sha256 } from './api-key-secret';
import { AUDIT_STREAM, auditEvent, type Actor } from './audit-trail';
import { isScope, SCOPES, type Scope } from './scopes';

/**
 * API keys as events in the stream `journeyline-keys` (ApiKeyCreated with the key's hash, never
 * the key; ApiKeyRevoked), so that every process of a deployment (servers, the CLI) shares them
 * through the store, and a copy of the store takes them along. Each process folds the stream into
 * memory and refreshes it at least every second, so a key revoked anywhere stops working
 * everywhere within that second; a key id it does not know yet makes it look at once.
 */
export const KEYS_STREAM = 'journeyline-keys';

export type KeyOrigin = 'first-start' | 'environment' | 'api' | 'cli' | 'rotation';

export interface ApiKeyView {
  id: string;
  name: string;
  scopes: Scope[];
  origin: KeyOrigin;
  createdAt: string;
  createdBy: Actor;
  revokedAt: string | null;
  revokedBy: Actor | null;
  /** The key that took this one's place when it was rotated. */
  replacedBy: string | null;
}

/** A key as its holder sees it once, at creation: the only time the key itself is shown. */
export interface CreatedKey {
  id: string;
  key: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
}

/** Who a request comes from, once its key (or a session made from one) checks out. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly Scope[];
  via: 'key' | 'session';
}

export class KeyInputError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'KeyInputError';
  }
}

export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`no API key has the id ${keyId}; GET /api/v1/keys lists them`);
    this.name = 'UnknownKeyError';
  }
}

interface KnownKey extends ApiKeyView {
  hash: string;
}

export interface KeyRegistryOptions {
  /** JOURNEYLINE_SEGMENT_WRITE_KEY: an ingest key that lives in the configuration only. */
  segmentWriteKey?: string | null;
  /** How stale the folded keys may get before a check reads the stream again. Default 1,000 ms. */
  refreshMs?: number;
  /**
   * A secret the store does not hold (derived from JOURNEYLINE_MASTER_KEY), mixed into session
   * signatures: then a copy of the database alone cannot mint a session. Without it a session is
   * signed with the key's stored hash only (and a copy of the database opens everything anyway).
   */
  sessionSecret?: Buffer | null;
}

export const SEGMENT_WRITE_KEY_ID = 'segment-write-key';
const SESSION_SEPARATOR = '.';

export class ApiKeyRegistry {
  private readonly keys = new Map<string, KnownKey>();
  private revision = -1;
  private refreshedAt = 0;
  private refreshing: Promise<void> | null = null;
  /** Chosen keys already matched by scrypt in this process: SHA-256 of the key → key id. */
  private readonly chosenMatches = new Map<string, string>();
  private readonly segmentHash: Buffer | null;
  private readonly refreshMs: number;
  private readonly sessionSecret: Buffer;

  constructor(
    private readonly store: EventStore,
    options: KeyRegistryOptions = {},
  ) {
    this.segmentHash = options.segmentWriteKey ? sha256(options.segmentWriteKey) : null;
    this.refreshMs = options.refreshMs ?? 1000;
    this.sessionSecret = options.sessionSecret ?? Buffer.alloc(0);
  }

  /** Reads what was appended to the keys stream since the last look (joining a read already under way). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNewEvents().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** A read that starts after this moment: after a write, a read already under way may not see it. */
  private async refreshAfterWrite(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    await this.refresh();
  }

  async list(): Promise<ApiKeyView[]> {
    await this.refresh();
    return [...this.keys.values()].map(view);
  }

  /**
   * Who `presented` (a key from an Authorization header) belongs to, or null. `slow: false` skips
   * checking it against chosen keys by scrypt (a caller that failed too often lately gets no more
   * of the server's CPU); keys Journeyline made, and chosen keys matched before, still pass.
   */
  async authenticate(presented: string, options: { slow?: boolean } = {}): Promise<Principal | null> {
    if (this.segmentHash && equalBytes(sha256(presented), this.segmentHash)) {
      return { keyId: SEGMENT_WRITE_KEY_ID, name: 'JOURNEYLINE_SEGMENT_WRITE_KEY', scopes: ['ingest'], via: 'key' };
    }
    await this.fresh();
    const madeId = keyIdOf(presented);
    if (madeId !== null) {
      if (!this.keys.has(madeId)) await this.refresh();
      const key = this.keys.get(madeId);
      return key && key.revokedAt === null && (await keyMatches(presented, key.hash)) ? principal(key, 'key') : null;
    }
    if (presented.length < MIN_CHOSEN_KEY_LENGTH) return null;
    const digest = sha256(presented).toString('hex');
    const remembered = this.keys.get(this.chosenMatches.get(digest) ?? '');
    if (remembered) return remembered.revokedAt === null ? principal(remembered, 'key') : null;
    if (options.slow === false) return null;
    for (const key of this.keys.values()) {
      if (key.revokedAt !== null || !key.hash.startsWith('scrypt:')) continue;
      if (await keyMatches(presented, key.hash)) {
        this.chosenMatches.set(digest, key.id);
        return principal(key, 'key');
      }
    }
    return null;
  }

  /** A session token for the dashboard's cookie: signed with the key's stored hash, so revoking the key ends its sessions. */
  async sessionFor(keyId: string, expiresAt: Date): Promise<string | null> {
    await this.fresh();
    const key = this.keys.get(keyId);
    if (!key || key.revokedAt !== null) return null;
    const body = `${keyId}${SESSION_SEPARATOR}${Math.floor(expiresAt.getTime() / 1000)}`;
    return `${body}${SESSION_SEPARATOR}${sessionMac(this.sessionSecret, key.hash, body)}`;
  }

  async authenticateSession(token: string, now = new Date()): Promise<Principal | null> {
    const [keyId, expires, mac, extra] = token.split(SESSION_SEPARATOR);
    if (extra !== undefined || !keyId || !/^\d{1,12}$/.test(expires ?? '') || !mac) return null;
    if (Number(expires) * 1000 <= now.getTime()) return null;
    await this.fresh();
    const key = this.keys.get(keyId);
    if (!key || key.revokedAt !== null) return null;
    const expected = Buffer.from(sessionMac(this.sessionSecret, key.hash, `${keyId}${SESSION_SEPARATOR}${expires}`));
    return equalBytes(Buffer.from(mac), expected) ? principal(key, 'session') : null;
  }

  async create(input: { name: unknown; scopes: unknown }, actor: Actor, origin: KeyOrigin = 'api'): Promise<CreatedKey> {
    const name = checkName(input.name);
    const scopes = checkScopes(input.scopes);
    const made = newApiKey();
    await this.appendKeyEvents(() => ({
      events: [created(made.id, name, scopes, hashMadeKey(made.key), origin, actor)],
      audit: auditEvent('key.created', actor, made.id, { name, scopes, origin }),
    }));
    return { id: made.id, key: made.key, name, scopes, createdAt: this.keys.get(made.id)!.createdAt };
  }

  /** A new key with the same name and scopes; the old one is revoked in the same append. */
  async rotate(keyId: string, actor: Actor): Promise<CreatedKey> {
    const made = newApiKey();
    let old: KnownKey | undefined;
    await this.appendKeyEvents(() => {
      old = this.activeKey(keyId);
      return {
        events: [
          created(made.id, old.name, old.scopes, hashMadeKey(made.key), 'rotation', actor),
          { eventId: randomUUID(), type: 'ApiKeyRevoked', occurredAt: new Date().toISOString(), data: { keyId, revokedBy: actor, replacedBy: made.id } },
        ],
        audit: auditEvent('key.rotated', actor, keyId, { name: old.name, replacedBy: made.id }),
      };
    });
    return { id: made.id, key: made.key, name: old!.name, scopes: old!.scopes, createdAt: this.keys.get(made.id)!.createdAt };
  }

  async revoke(keyId: string, actor: Actor): Promise<ApiKeyView> {
    await this.appendKeyEvents(() => {
      const key = this.activeKey(keyId);
      return {
        events: [{ eventId: randomUUID(), type: 'ApiKeyRevoked', occurredAt: new Date().toISOString(), data: { keyId, revokedBy: actor, replacedBy: null } }],
        audit: auditEvent('key.revoked', actor, keyId, { name: key.name }),
      };
    });
    return view(this.keys.get(keyId)!);
  }

  /**
   * The first admin key, made only when the store has never had a key: the key given (from
   * JOURNEYLINE_ADMIN_KEY), else a new one, whose text is returned so that it can be shown once.
   * Null when keys exist already. Two processes starting together agree on one first key.
   */
  async ensureFirstAdmin(chosen: string | null, actor: Actor): Promise<{ id: string; key: string | null } | null> {
    await this.refresh();
    if (this.keys.size > 0) return null;
    const made = chosen === null ? newApiKey() : { id: newKeyId(), key: chosen };
    const hash = chosen === null ? hashMadeKey(made.key) : await hashChosenKey(chosen);
    const origin: KeyOrigin = chosen === null ? 'first-start' : 'environment';
    try {
      await this.append([
        { streamId: KEYS_STREAM, expectedRevision: 'no_stream', events: [created(made.id, 'first admin key', ['admin'], hash, origin, actor)] },
        {
          streamId: AUDIT_STREAM,
          expectedRevision: 'any',
          events: [auditEvent('key.created', actor, made.id, { name: 'first admin key', scopes: ['admin'], origin })],
        },
      ]);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      await this.refreshAfterWrite();
      return null;
    }
    await this.refreshAfterWrite();
    return { id: made.id, key: chosen === null ? made.key : null };
  }

  private activeKey(keyId: string): KnownKey {
    const key = this.keys.get(keyId);
    if (!key) throw new UnknownKeyError(keyId);
    if (key.revokedAt !== null) throw new KeyInputError('id', `key ${keyId} was revoked at ${key.revokedAt}`);
    return key;
  }

  /** Appends with the keys stream's expected revision, re-deciding on what another process appended meanwhile. */
  private async appendKeyEvents(decide: () => { events: NewEvent[]; audit: NewEvent }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const { events, audit } = decide();
      try {
        await this.append([
          { streamId: KEYS_STREAM, expectedRevision: this.revision < 0 ? 'no_stream' : this.revision, events },
          { streamId: AUDIT_STREAM, expectedRevision: 'any', events: [audit] },
        ]);
        await this.refreshAfterWrite();
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 5) throw error;
      }
    }
  }

  private async append(requests: AppendRequest[]): Promise<void> {
    await this.store.append(requests);
  }

  /** Refreshes a stale fold; while the store cannot be read, the keys already folded keep working (nothing is served without them anyway). */
  private async fresh(): Promise<void> {
    if (Date.now() - this.refreshedAt < this.refreshMs) return;
    try {
      await this.refresh();
    } catch (error) {
      if (this.refreshedAt === 0) throw error;
    }
  }

  private async readNewEvents(): Promise<void> {
    const startedAt = Date.now();
    for (;;) {
      const events = await this.store.readStream(KEYS_STREAM, { fromRevision: this.revision + 1, limit: 1000 });
      for (const event of events) {
        this.apply(event.type, event.data, event.recordedAt);
        this.revision = event.revision;
      }
      if (events.length < 1000) break;
    }
    this.refreshedAt = startedAt;
  }

  private apply(type: string, data: Record<string, unknown>, recordedAt: string): void {
    if (type === 'ApiKeyCreated') {
      const d = data as { keyId: string; name: string; scopes: Scope[]; hash: string; origin: KeyOrigin; createdBy: Actor };
      this.keys.set(d.keyId, {
        id: d.keyId,
        name: d.name,
        scopes: d.scopes.filter(isScope),
        hash: d.hash,
        origin: d.origin,
        createdAt: recordedAt,
        createdBy: d.createdBy,
        revokedAt: null,
        revokedBy: null,
        replacedBy: null,
      });
    } else if (type === 'ApiKeyRevoked') {
      const d = data as { keyId: string; revokedBy: Actor; replacedBy?: string | null };
      const key = this.keys.get(d.keyId);
      if (key && key.revokedAt === null) Object.assign(key, { revokedAt: recordedAt, revokedBy: d.revokedBy, replacedBy: d.replacedBy ?? null });
    }
  }
}

function created(keyId: string, name: string, scopes: Scope[], hash: string, origin: KeyOrigin, actor: Actor): NewEvent {
  return { eventId: randomUUID(), type: 'ApiKeyCreated', occurredAt: new Date().toISOString(), data: { keyId, name, scopes, hash, origin, createdBy: actor } };
}

function view({ hash: _hash, ...key }: KnownKey): ApiKeyView {
  return { ...key, scopes: [...key.scopes] };
}

function principal(key: KnownKey, via: Principal['via']): Principal {
  return { keyId: key.id, name: key.name, scopes: key.scopes, via };
}

function sessionMac(secret: Buffer, hash: string, body: string): string {
  return createHmac('sha256', Buffer.concat([secret, Buffer.from(`journeyline session:${hash}`)]))
    .update(body)
    .digest('base64url');
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw new KeyInputError('name', 'must be a non-empty string that says who holds the key');
  if (name.length > 100) throw new KeyInputError('name', 'must be at most 100 characters');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new KeyInputError('name', 'must not contain control characters');
  return name.trim();
}

function checkScopes(scopes: unknown): Scope[] {
  if (!Array.isArray(scopes) || scopes.length === 0) throw new KeyInputError('scopes', `must be a non-empty list of ${SCOPES.join(', ')}`);
  const bad = scopes.find((scope) => !isScope(scope));
  if (bad !== undefined) throw new KeyInputError('scopes', `${JSON.stringify(bad)} is not a scope; use ${SCOPES.join(', ')}`);
  return [...new Set(scopes as Scope[])];
}
