import { SqliteEventStore } from '@journeyline/event-store';
import { AUDIT_STREAM, AuditTrail, type Actor } from './audit-trail';

const ADMIN: Actor = { keyId: '0123456789abcdef', name: 'Trần Minh' };

describe('AuditTrail', () => {
  let store: SqliteEventStore;
  let trail: AuditTrail;
  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
    trail = new AuditTrail(store);
  });
  afterEach(async () => {
    await store.close();
  });

  /** Records erasures of customers c-1 ... c-n, in that order. */
  async function recordErasures(n: number): Promise<void> {
    for (let i = 1; i <= n; i++) await trail.record('customer.erased', ADMIN, `c-${i}`, { n: i });
  }

  it('an empty trail is one empty last page', async () => {
    expect(await trail.page(null, 10)).toEqual({ items: [], before: null });
  });

  it('records an entry in the audit stream with who did what to what', async () => {
    await trail.record('customer.exported', ADMIN, 'c-1042', { format: 'json' });
    expect(await store.streamRevision(AUDIT_STREAM)).toBe(0);
    const { items } = await trail.page(null, 10);
    expect(items).toEqual([
      { id: expect.any(String), action: 'customer.exported', at: expect.any(String), actor: ADMIN, subject: 'c-1042', details: { format: 'json' } },
    ]);
  });

  it('returns the newest entries first', async () => {
    await recordErasures(3);
    const { items, before } = await trail.page(null, 10);
    expect(items.map((entry) => entry.subject)).toEqual(['c-3', 'c-2', 'c-1']);
    expect(before).toBeNull();
  });

  it('pages towards older entries with before, and says null on the last page', async () => {
    await recordErasures(5);
    const first = await trail.page(null, 2);
    expect(first.items.map((entry) => entry.subject)).toEqual(['c-5', 'c-4']);
    expect(first.before).not.toBeNull();

    const second = await trail.page(first.before, 2);
    expect(second.items.map((entry) => entry.subject)).toEqual(['c-3', 'c-2']);
    expect(second.before).not.toBeNull();

    const last = await trail.page(second.before, 2);
    expect(last.items.map((entry) => entry.subject)).toEqual(['c-1']);
    expect(last.before).toBeNull();
  });

  it('says null on a last page that is exactly full', async () => {
    await recordErasures(4);
    const first = await trail.page(null, 2);
    const last = await trail.page(first.before, 2);
    expect(last.items.map((entry) => entry.subject)).toEqual(['c-2', 'c-1']);
    expect(last.before).toBeNull();
  });

  it('a page does not move when entries are recorded after it was read', async () => {
    await recordErasures(3);
    const first = await trail.page(null, 2);
    await trail.record('projections.rebuilt', ADMIN, null);
    const next = await trail.page(first.before, 2);
    expect(next.items.map((entry) => entry.subject)).toEqual(['c-1']);
    expect((await trail.page(null, 1)).items[0]).toMatchObject({ action: 'projections.rebuilt', subject: null, details: {} });
  });
});
