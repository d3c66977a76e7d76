import { SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { ApiKeyRegistry, KEYS_STREAM, KeyInputError, SEGMENT_WRITE_KEY_ID, UnknownKeyError } from './api-key-registry';
import { AUDIT_STREAM, AuditTrail, type Actor } from './audit-trail';

const ADMIN: Actor = { keyId: null, name: 'Trần Minh (cli)' };
const CHOSEN_KEY = 'chosen-admin-key-with-32-characters';
const SEGMENT_KEY = 'segment-write-key-of-at-least-24-chars';
const DAY_MS = 24 * 3_600_000;

/** The error a promise rejects with (fails when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}

describe('ApiKeyRegistry', () => {
  let store: SqliteEventStore;
  let registry: ApiKeyRegistry;
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
    registry = new ApiKeyRegistry(store);
  });
  afterEach(async () => {
    await store.close();
  });

  const keyEvents = async (type: string) => (await store.readStream(KEYS_STREAM)).filter((event) => event.type === type);

  describe('create', () => {
    it('makes a jlk_ key that authenticates with its name and scopes', async () => {
      const made = await registry.create({ name: '  Zalo OA bridge ', scopes: ['ingest', 'read', 'ingest'] }, ADMIN);
      expect(made.key).toMatch(/^jlk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(made).toMatchObject({ name: 'Zalo OA bridge', scopes: ['ingest', 'read'] });
      expect(await registry.authenticate(made.key)).toEqual({ keyId: made.id, name: 'Zalo OA bridge', scopes: ['ingest', 'read'], via: 'key' });
    });

    it('a key that differs from a made one in its secret does not authenticate', async () => {
      const made = await registry.create({ name: 'dashboard', scopes: ['read'] }, ADMIN);
      const last = made.key[made.key.length - 1];
      expect(await registry.authenticate(`${made.key.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`)).toBeNull();
      expect(await registry.authenticate('jlk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    });

    it('lists keys without the key and without its hash', async () => {
      const made = await registry.create({ name: 'survey page', scopes: ['survey'] }, ADMIN);
      const list = await registry.list();
      expect(list).toEqual([
        {
          id: made.id,
          name: 'survey page',
          scopes: ['survey'],
          origin: 'api',
          createdAt: made.createdAt,
          createdBy: ADMIN,
          revokedAt: null,
          revokedBy: null,
          replacedBy: null,
        },
      ]);
      const json = JSON.stringify(list);
      expect(json).not.toContain(made.key);
      expect(json).not.toContain('sha256:');
    });

    it('stores a hash of the key, never the key', async () => {
      const made = await registry.create({ name: 'reporting', scopes: ['read'] }, ADMIN);
      const stored = JSON.stringify(await store.readAll({ after: 0, limit: 100 }));
      expect(stored).not.toContain(made.key);
      expect((await keyEvents('ApiKeyCreated'))[0].data.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it.each([
      ['an empty name', ''],
      ['a blank name', '   '],
      ['a name that is not a string', 42],
      ['a name longer than 100 characters', 'k'.repeat(101)],
      ['a name with a control character', 'bridge\u0007'],
    ])('refuses %s: KeyInputError on name', async (_label, name) => {
      const error = await rejection(registry.create({ name, scopes: ['read'] }, ADMIN));
      expect(error).toBeInstanceOf(KeyInputError);
      expect((error as KeyInputError).field).toBe('name');
    });

    it.each([
      ['no scopes', []],
      ['scopes that are not a list', 'admin'],
      ['an unknown scope', ['read', 'root']],
      ['missing scopes', undefined],
    ])('refuses %s: KeyInputError on scopes', async (_label, scopes) => {
      const error = await rejection(registry.create({ name: 'bridge', scopes }, ADMIN));
      expect(error).toBeInstanceOf(KeyInputError);
      expect((error as KeyInputError).field).toBe('scopes');
      expect(await store.streamRevision(KEYS_STREAM)).toBe(-1);
    });

    it('answers with the key it made while another check is reading the keys at the same moment', async () => {
      // The store answers reads late (as one over a network does), with what it held when asked.
      let beforeAppend: (() => void) | null = null;
      const late = lateReads(store, 20, () => {
        beforeAppend?.();
        beforeAppend = null;
      });
      const busy = new ApiKeyRegistry(late);
      await busy.refresh();
      let listing: Promise<unknown> = Promise.resolve();
      beforeAppend = () => (listing = busy.list());

      const made = await busy.create({ name: 'Kafka bridge', scopes: ['ingest'] }, ADMIN);

      await listing;
      expect(made.name).toBe('Kafka bridge');
      expect(await busy.authenticate(made.key)).toMatchObject({ keyId: made.id });
    });
  });

  describe('revoke and rotate', () => {
    it('a revoked key no longer authenticates, here and in every other process', async () => {
      const made = await registry.create({ name: 'old bridge', scopes: ['ingest'] }, ADMIN);
      const elsewhere = new ApiKeyRegistry(store, { refreshMs: 0 });
      expect(await elsewhere.authenticate(made.key)).not.toBeNull();

      const revoked = await registry.revoke(made.id, ADMIN);

      expect(revoked).toMatchObject({ id: made.id, revokedAt: expect.any(String), revokedBy: ADMIN, replacedBy: null });
      expect(await registry.authenticate(made.key)).toBeNull();
      expect(await elsewhere.authenticate(made.key)).toBeNull();
    });

    it('revoking a key twice is a KeyInputError on id', async () => {
      const made = await registry.create({ name: 'old bridge', scopes: ['ingest'] }, ADMIN);
      await registry.revoke(made.id, ADMIN);
      const error = await rejection(registry.revoke(made.id, ADMIN));
      expect(error).toBeInstanceOf(KeyInputError);
      expect((error as KeyInputError).field).toBe('id');
    });

    it('revoking or rotating an unknown id is an UnknownKeyError', async () => {
      await registry.create({ name: 'bridge', scopes: ['ingest'] }, ADMIN);
      expect(await rejection(registry.revoke('0123456789abcdef', ADMIN))).toBeInstanceOf(UnknownKeyError);
      expect(await rejection(registry.rotate('0123456789abcdef', ADMIN))).toBeInstanceOf(UnknownKeyError);
    });

    it('rotating gives a new key with the same name and scopes; the old one stops working', async () => {
      const old = await registry.create({ name: 'CRM sync', scopes: ['ingest', 'read'] }, ADMIN);
      const rotated = await registry.rotate(old.id, ADMIN);

      expect(rotated.id).not.toBe(old.id);
      expect(rotated).toMatchObject({ name: 'CRM sync', scopes: ['ingest', 'read'] });
      expect(await registry.authenticate(old.key)).toBeNull();
      expect(await registry.authenticate(rotated.key)).toEqual({ keyId: rotated.id, name: 'CRM sync', scopes: ['ingest', 'read'], via: 'key' });
      const list = await registry.list();
      expect(list.find((key) => key.id === old.id)).toMatchObject({ replacedBy: rotated.id, revokedBy: ADMIN });
      expect(list.find((key) => key.id === rotated.id)).toMatchObject({ origin: 'rotation', revokedAt: null });
    });
  });

  describe('the first admin key', () => {
    it('is made once, for a store that has no key, and its text is returned', async () => {
      const first = await registry.ensureFirstAdmin(null, ADMIN);
      expect(first).toEqual({ id: expect.any(String), key: expect.stringMatching(/^jlk_/) });
      expect(await registry.authenticate(first!.key!)).toEqual({ keyId: first!.id, name: 'first admin key', scopes: ['admin'], via: 'key' });
      expect(await registry.ensureFirstAdmin(null, ADMIN)).toBeNull();
      expect(await keyEvents('ApiKeyCreated')).toHaveLength(1);
    });

    it('is not made for a store that has keys already', async () => {
      await registry.create({ name: 'bridge', scopes: ['ingest'] }, ADMIN);
      expect(await new ApiKeyRegistry(store).ensureFirstAdmin(null, ADMIN)).toBeNull();
      expect(await keyEvents('ApiKeyCreated')).toHaveLength(1);
    });

    it('two processes starting together make exactly one', async () => {
      const other = new ApiKeyRegistry(store);
      const outcomes = await Promise.all([registry.ensureFirstAdmin(null, ADMIN), other.ensureFirstAdmin(null, ADMIN)]);
      const made = outcomes.filter((outcome) => outcome !== null);
      expect(made).toHaveLength(1);
      expect(await keyEvents('ApiKeyCreated')).toHaveLength(1);
      expect(await other.authenticate(made[0]!.key!)).toMatchObject({ scopes: ['admin'] });
      expect(await registry.authenticate(made[0]!.key!)).toMatchObject({ scopes: ['admin'] });
    });

    it('a chosen key is stored as scrypt and authenticates; another chosen key does not', async () => {
      const first = await registry.ensureFirstAdmin(CHOSEN_KEY, ADMIN);
      expect(first).toEqual({ id: expect.any(String), key: null });
      const [created] = await keyEvents('ApiKeyCreated');
      expect(String(created.data.hash)).toMatch(/^scrypt:/);
      expect(JSON.stringify(created.data)).not.toContain(CHOSEN_KEY);

      expect(await registry.authenticate(CHOSEN_KEY)).toEqual({ keyId: first!.id, name: 'first admin key', scopes: ['admin'], via: 'key' });
      expect(await registry.authenticate('another-chosen-key-of-32-characters')).toBeNull();
      expect(await new ApiKeyRegistry(store).authenticate(CHOSEN_KEY)).toMatchObject({ keyId: first!.id });
    });

    it('without the slow check, a chosen key passes only once it has been matched', async () => {
      await registry.ensureFirstAdmin(CHOSEN_KEY, ADMIN);
      expect(await registry.authenticate(CHOSEN_KEY, { slow: false })).toBeNull();
      expect(await registry.authenticate(CHOSEN_KEY)).toMatchObject({ scopes: ['admin'] });
      expect(await registry.authenticate(CHOSEN_KEY, { slow: false })).toMatchObject({ scopes: ['admin'] });
    });
  });

  describe('the Segment write key', () => {
    it('authenticates as ingest only, and is never stored', async () => {
      const segment = new ApiKeyRegistry(store, { segmentWriteKey: SEGMENT_KEY });
      expect(await segment.authenticate(SEGMENT_KEY)).toEqual({ keyId: SEGMENT_WRITE_KEY_ID, name: expect.any(String), scopes: ['ingest'], via: 'key' });
      expect(await segment.authenticate(`${SEGMENT_KEY}x`)).toBeNull();
      expect(await registry.authenticate(SEGMENT_KEY)).toBeNull();
      expect(await store.headPosition()).toBe(0);
      expect(JSON.stringify(await store.readAll({ after: 0, limit: 100 }))).not.toContain(SEGMENT_KEY);
    });
  });

  describe('sessions', () => {
    const NOW = new Date();
    const TOMORROW = new Date(NOW.getTime() + DAY_MS);

    it('a session of a key authenticates as that key, via session', async () => {
      const made = await registry.create({ name: 'Lan (dashboard)', scopes: ['read'] }, ADMIN);
      const token = await registry.sessionFor(made.id, TOMORROW);
      expect(await registry.authenticateSession(token!, NOW)).toEqual({ keyId: made.id, name: 'Lan (dashboard)', scopes: ['read'], via: 'session' });
      expect(await new ApiKeyRegistry(store).authenticateSession(token!, NOW)).toMatchObject({ keyId: made.id, via: 'session' });
    });

    it('a token with an altered mac, or a later expiry than it was signed with, gives null', async () => {
      const made = await registry.create({ name: 'Lan (dashboard)', scopes: ['read'] }, ADMIN);
      const token = (await registry.sessionFor(made.id, TOMORROW))!;
      const [keyId, expires, mac] = token.split('.');
      const alteredMac = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
      expect(await registry.authenticateSession(`${keyId}.${expires}.${alteredMac}`, NOW)).toBeNull();
      expect(await registry.authenticateSession(`${keyId}.${Number(expires) + 3600}.${mac}`, NOW)).toBeNull();
    });

    it('an expired token gives null', async () => {
      const made = await registry.create({ name: 'Lan (dashboard)', scopes: ['read'] }, ADMIN);
      const token = (await registry.sessionFor(made.id, TOMORROW))!;
      expect(await registry.authenticateSession(token, new Date(TOMORROW.getTime() + 1000))).toBeNull();
    });

    it.each([[''], ['not-a-token'], ['0123456789abcdef.123'], ['0123456789abcdef.soon.mac'], ['.1893456000.mac'], ['a.1.b.c']])(
      'a malformed token (%j) gives null',
      async (token) => {
        await registry.create({ name: 'dashboard', scopes: ['read'] }, ADMIN);
        expect(await registry.authenticateSession(token, NOW)).toBeNull();
      },
    );

    it('a token with a valid shape but an extra part gives null', async () => {
      const made = await registry.create({ name: 'dashboard', scopes: ['read'] }, ADMIN);
      const token = (await registry.sessionFor(made.id, TOMORROW))!;
      expect(await registry.authenticateSession(`${token}.extra`, NOW)).toBeNull();
    });

    it('the sessions of a revoked key end, and a revoked key gets no new session', async () => {
      const made = await registry.create({ name: 'Lan (dashboard)', scopes: ['read'] }, ADMIN);
      const token = (await registry.sessionFor(made.id, TOMORROW))!;
      await registry.revoke(made.id, ADMIN);
      expect(await registry.authenticateSession(token, NOW)).toBeNull();
      expect(await registry.sessionFor(made.id, TOMORROW)).toBeNull();
      expect(await registry.sessionFor('0123456789abcdef', TOMORROW)).toBeNull();
    });
  });

  describe('the audit trail', () => {
    it('records each key made, rotated and revoked, with the actor', async () => {
      const made = await registry.create({ name: 'bridge', scopes: ['ingest'] }, ADMIN);
      const rotated = await registry.rotate(made.id, { keyId: 'aaaaaaaaaaaaaaaa', name: 'ops key' });
      await registry.revoke(rotated.id, ADMIN);

      const { items } = await new AuditTrail(store).page(null, 10);
      expect(items.map(({ action, actor, subject }) => ({ action, actor, subject }))).toEqual([
        { action: 'key.revoked', actor: ADMIN, subject: rotated.id },
        { action: 'key.rotated', actor: { keyId: 'aaaaaaaaaaaaaaaa', name: 'ops key' }, subject: made.id },
        { action: 'key.created', actor: ADMIN, subject: made.id },
      ]);
      expect(items[2].details).toEqual({ name: 'bridge', scopes: ['ingest'], origin: 'api' });
      expect(JSON.stringify(await store.readStream(AUDIT_STREAM))).not.toContain(made.key);
    });

    it('records the first admin key, and nothing for a refused key', async () => {
      const first = await registry.ensureFirstAdmin(null, { keyId: null, name: 'first start' });
      await rejection(registry.create({ name: '', scopes: ['read'] }, ADMIN));
      const { items } = await new AuditTrail(store).page(null, 10);
      expect(items).toEqual([
        {
          id: expect.any(String),
          action: 'key.created',
          at: expect.any(String),
          actor: { keyId: null, name: 'first start' },
          subject: first!.id,
          details: { name: 'first admin key', scopes: ['admin'], origin: 'first-start' },
        },
      ]);
    });
  });
});

/** `store`, with reads that answer `ms` late with what the store held when asked, and a hook run just before each append. */
function lateReads(store: EventStore, ms: number, beforeAppend: () => void): EventStore {
  return {
    name: store.name,
    append: (requests) => {
      beforeAppend();
      return store.append(requests);
    },
    readStream: async (streamId, options) => {
      const events = await store.readStream(streamId, options);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return events;
    },
    readAll: (options) => store.readAll(options),
    findByEventIds: (eventIds) => store.findByEventIds(eventIds),
    streamRevision: (streamId) => store.streamRevision(streamId),
    headPosition: () => store.headPosition(),
    health: () => store.health(),
    close: () => store.close(),
  };
}
