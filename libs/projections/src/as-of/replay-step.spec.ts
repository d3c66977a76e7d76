/** An as-of replay step: its transactions' size is a setting (memory against speed), and the read models come out the same whatever it is. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore } from '@journeyline/event-store';
import type { CustomerCommand } from '@journeyline/journey';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { recordCustomerEvents } from '@journeyline/recording';
import type { Projection } from '../runtime/projection';
import { customerReadModels } from './as-of-replays';
import { runReplayStep, type ReplayedReadModels } from './replay-step';

const ZONE = 'Asia/Ho_Chi_Minh';

const visit = (customerId: string, i: number): CustomerCommand =>
  ({
    type: 'RecordTouchpointVisit',
    eventId: `v-${customerId}-${i}`,
    customerId,
    occurredAt: `2026-11-${String(10 + i).padStart(2, '0')}T09:00:00+07:00`,
    data: { touchpoint: i % 2 ? 'zalo:oa' : 'facebook:ads', channel: 'social', stage: i < 2 ? 'awareness' : 'evaluation' },
  }) as CustomerCommand;

/** Counts the transactions that applied events (each begins one batch per projection). */
function transactionCounter(): { projection: Projection; transactions: () => number } {
  let transactions = 0;
  const projection: Projection = {
    name: 'transaction-counter',
    eventTypes: new Set(['TouchpointVisited', 'StageEntered']),
    version: '1',
    tables: [],
    setup: async () => undefined,
    teardown: async () => undefined,
    apply: async () => undefined,
    begin: () => {
      let applied = false;
      return {
        apply: async (events) => void (applied ||= events.length > 0),
        flush: async () => void (applied && transactions++),
      };
    },
  };
  return { projection, transactions: () => transactions };
}

describe('an as-of replay step', () => {
  it('replays in transactions of the events it is given, and the read models equal those of one transaction', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-replay-step-'));
    const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
    try {
      const personal = localPersonalData(path.join(dir, 'journeyline.db'));
      // customers whose events come back across the log, as a real log's do
      for (let i = 0; i < 4; i++) for (const id of ['kh-1', 'kh-2', 'kh-3']) await recordCustomerEvents(store, [visit(id, i)], { personal });
      const replay = async (file: string, transactionEvents?: number) => {
        const counter = transactionCounter();
        const readModels: ReplayedReadModels = (log) => [...customerReadModels(ZONE)(log), counter.projection];
        const asOf = new Date(Date.now() + 60_000).toISOString();
        const result = await runReplayStep(store, readModels, { kind: 'as-of', file: path.join(dir, file), asOf, from: 0, transactionEvents });
        return { eventsRead: result.eventsRead, transactions: counter.transactions() };
      };

      const whole = await replay('whole.db');
      const steps = await replay('steps.db', 5);

      expect(whole.eventsRead).toBeGreaterThan(10);
      expect(whole.transactions).toBe(1);
      expect(steps).toEqual({ eventsRead: whole.eventsRead, transactions: Math.ceil(whole.eventsRead / 5) });
      const rows = (file: string, table: string) => {
        const db = new BetterSqlite3(path.join(dir, file), { readonly: true });
        try {
          return db
            .prepare(`SELECT * FROM ${table}`)
            .all()
            .map((row) => JSON.stringify(row))
            .sort();
        } finally {
          db.close();
        }
      };
      for (const table of ['jm_customers', 'jm_stage_reached', 'jm_touchpoints', 'jm_funnel_days', 'jm_person_days', 'cut_portraits']) {
        expect(rows('steps.db', table)).toEqual(rows('whole.db', table));
      }
      expect(rows('steps.db', 'jm_customers')).toHaveLength(3);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
