/** The per-customer read models as of a moment: replayed once per moment, the last two kept, a lent one never closed under its read. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { recordCustomerEvents } from '@journeyline/recording';
import type { CustomerCommand } from '@journeyline/journey';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { AsOfReplays, customerReadModels } from './as-of-replays';

const visit = (customerId: string): CustomerCommand =>
  ({
    type: 'RecordTouchpointVisit',
    eventId: `v-${customerId}`,
    customerId,
    occurredAt: '2026-11-20T09:00:00+07:00',
    data: { touchpoint: 'facebook:ads', channel: 'social', stage: 'awareness' },
  }) as CustomerCommand;

/**
 * A store whose clock the test sets, its key vault, and replays of the per-customer read models
 * whose scratch copies go to a directory of the test's own (suites running beside it make theirs in
 * the shared temporary one).
 */
function world() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-as-of-replays-'));
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-as-of-replays-scratch-'));
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'), { clock: () => new Date(clock) });
  const personal = localPersonalData(path.join(dir, 'journeyline.db'));
  const replays = new AsOfReplays(store, customerReadModels('Asia/Ho_Chi_Minh'), { scratchDir });
  return {
    store,
    replays,
    /** The scratch copies there now. */
    scratch: () => fs.readdirSync(scratchDir).filter((name) => name.startsWith('journeyline-as-of-')),
    /** Records a visit of `customerId` at `at` (ms). */
    visitAt: (at: number, customerId: string) => {
      clock = at;
      return recordCustomerEvents(store, [visit(customerId)], { personal });
    },
    async done(): Promise<void> {
      await replays.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(scratchDir, { recursive: true, force: true });
    },
  };
}

describe('AsOfReplays', () => {
  it('answers what was recorded by each moment, keeps the last two, and closes an evicted one only when its read is done', async () => {
    const w = world();
    const { store, replays } = w;
    try {
      const heads: number[] = [];
      for (const [i, id] of ['kh-1', 'kh-2', 'kh-3'].entries()) {
        await w.visitAt(Date.parse('2026-11-20T10:00:00Z') + i * 3_600_000, id);
        heads.push(await store.headPosition());
      }
      const customers = async (reader: { all<T>(sql: string): Promise<T[]> }) =>
        (await reader.all<{ customer_id: string }>('SELECT customer_id FROM jm_customers ORDER BY customer_id')).map((r) => r.customer_id);
      const at = (hour: number) => new Date(Date.parse('2026-11-20T10:30:00Z') + hour * 3_600_000);

      const first = await replays.at(at(0));
      expect(first.statement).toMatchObject({ path: 'replay', eventsReplayed: expect.any(Number) });
      expect(await customers(first.reader)).toEqual(['kh-1']);
      const again = await replays.at(at(0));
      expect(again.statement.replayMs).toBe(0);
      await again.release();

      // a later moment starts from the one kept: the log is read after it
      const second = await replays.at(at(1));
      expect(second.statement).toMatchObject({ path: 'kept moment + replay', keptAsOf: at(0).toISOString(), snapshotPosition: heads[0] });
      expect(await customers(second.reader)).toEqual(['kh-1', 'kh-2']);
      await second.release();
      const third = await replays.at(at(2));
      expect(await customers(third.reader)).toEqual(['kh-1', 'kh-2', 'kh-3']);
      await third.release();

      // the first moment left the cache, but its read still holds it: it answers until released
      expect(await customers(first.reader)).toEqual(['kh-1']);
      await first.release();
      await expect(customers(first.reader)).rejects.toThrow();
      // asked again, it is replayed again
      const back = await replays.at(at(0));
      expect(back.statement.replayMs).toBeGreaterThanOrEqual(0);
      expect(await customers(back.reader)).toEqual(['kh-1']);
      await back.release();
    } finally {
      await w.done();
    }
  });

  it('a moment after which nothing more was recorded reads the kept one again: no copy, nothing replayed', async () => {
    const w = world();
    const { store, replays } = w;
    const count = async (reader: { get<T>(sql: string): Promise<T | undefined> }) =>
      (await reader.get<{ n: number }>('SELECT COUNT(*) AS n FROM jm_customers'))!.n;
    try {
      await w.visitAt(Date.parse('2026-11-20T10:00:00Z'), 'kh-1');
      const head = await store.headPosition();
      // kh-2 is recorded a day later
      await w.visitAt(Date.parse('2026-11-21T10:00:00Z'), 'kh-2');

      const morning = await replays.at(new Date('2026-11-20T11:00:00Z'));
      expect(morning.statement).toMatchObject({ path: 'replay' });
      await morning.release();
      // that evening nothing more had been recorded: the morning's read models answer, kept as they are
      const evening = new Date('2026-11-20T20:00:00Z');
      const quiet = await replays.at(evening);
      expect(quiet.statement).toEqual({
        asOf: evening.toISOString(),
        path: 'kept moment + replay',
        eventsReplayed: 0,
        replayMs: 0,
        snapshotPosition: head,
        keptAsOf: '2026-11-20T11:00:00.000Z',
      });
      expect(await count(quiet.reader)).toBe(1);
      await quiet.release();
      // one scratch copy only: the morning's
      expect(w.scratch()).toHaveLength(1);
      // the next day kh-2 was: replayed after the kept moment
      const nextDay = await replays.at(new Date('2026-11-21T11:00:00Z'));
      expect(nextDay.statement).toMatchObject({ path: 'kept moment + replay', eventsReplayed: expect.any(Number) });
      expect(nextDay.statement.eventsReplayed).toBeGreaterThan(0);
      expect(await count(nextDay.reader)).toBe(2);
      await nextDay.release();
    } finally {
      await w.done();
    }
  });

  it('runs one replay at a time: requests for many moments at once all answer, each its own', async () => {
    const w = world();
    const { replays } = w;
    expect(w.scratch()).toEqual([]);
    try {
      for (let i = 0; i < 6; i++) await w.visitAt(Date.parse('2026-11-20T10:00:00Z') + i * 3_600_000, `kh-${i}`);
      const counts = await Promise.all(
        [0, 1, 2, 3, 4, 5].map(async (hour) => {
          const lent = await replays.at(new Date(Date.parse('2026-11-20T10:30:00Z') + hour * 3_600_000));
          try {
            return (await lent.reader.get<{ n: number }>('SELECT COUNT(*) AS n FROM jm_customers'))!.n;
          } finally {
            await lent.release();
          }
        }),
      );
      expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
      // released and evicted ones are gone already; the two kept go on close
      expect(w.scratch()).toHaveLength(2);
      await replays.close();
      expect(w.scratch()).toEqual([]);
    } finally {
      await w.done();
    }
  });
});
