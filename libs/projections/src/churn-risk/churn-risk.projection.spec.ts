/** The churn_risk_flags read model and its queries: listing, paging, rebuild equality, idempotent apply. */
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { Projector } from '../runtime/projector';
import { dumpReadModels, projected, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { ChurnRiskProcess } from './churn-risk.process';
import { ChurnRiskProjection } from './churn-risk.projection';
import { countChurnRisksByRule, listChurnRisks as listWithValues, type ChurnRiskListQuery } from './churn-risk.queries';
import { CustomerValueProjection } from '../customer-value/customer-value.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import type { SqlExecutor } from '../runtime/sql-executor';

/** The list as this spec looks at it: customers and their flags (priorities have a test of their own). */
async function listChurnRisks(reader: SqlExecutor, query: ChurnRiskListQuery) {
  const page = await listWithValues(reader, query);
  return { items: page.items.map(({ customerId, flags }) => ({ customerId, flags })), ...(page.next ? { next: page.next } : {}) };
}
import { at, cesCmd, manualClock, npsCmd, openTicketCmd, purchaseCmd, resolveTicketCmd, visitCmd } from '@journeyline/projections/testing/churn-risk-journeys';

/** c-1: ticket flagged then resolved, detractor and silence flags open; c-2: hard effort; c-3: a slow ticket. */
async function flaggedCustomers() {
  const h = sqliteHarness();
  const time = manualClock(at(4, 12));
  const process = new ChurnRiskProcess(h.store, h.readModels('process.db'), DEFAULT_CHURN_RULES, { clock: time.clock });
  await h.record([
    visitCmd('a1', 'c-1', 'awareness', at(1)),
    purchaseCmd('p1', 'c-1', at(2)),
    npsCmd('f1', 'c-1', 3, at(3)),
    openTicketCmd('o1', 'c-1', 't-1', at(4)),
    cesCmd('e1', 'c-2', 1, at(2)),
    cesCmd('e2', 'c-2', 2, at(5)),
  ]);
  time.set(at(6, 10));
  await process.runOnce();
  await h.record([resolveTicketCmd('r1', 'c-1', 't-1', at(7)), openTicketCmd('o3', 'c-3', 't-3', at(30))]);
  time.set(at(40));
  await process.runOnce();
  return h;
}

describe('churn-risk read model', () => {
  it('lists flagged customers with reasons and evidence, latest flag first, without cleared flags', async () => {
    await withHarness(await flaggedCustomers(), async (h) => {
      const db = h.readModels();
      await new Projector(h.store, db, [new ChurnRiskProjection(), new CustomerValueProjection(), new JourneyMapProjection(h.store, 'UTC')]).catchUp();
      expect(await listChurnRisks(db.reader, { limit: 10 })).toEqual({
        items: [
          {
            customerId: 'c-1',
            flags: [
              {
                rule: 'inactive-after-purchase',
                reason: 'No activity for 30 days after a purchase',
                flaggedAt: at(37),
                evidence: ['p1', 'r1'],
                episodeId: 'churn-risk c-1 inactive-after-purchase r1',
                rulesVersion: null,
              },
              {
                rule: 'detractor-without-use',
                reason: 'Dissatisfied customer (NPS detractor) with no use of the service for 30 days',
                flaggedAt: at(33),
                evidence: ['f1'],
                episodeId: 'churn-risk c-1 detractor-without-use f1',
                rulesVersion: null,
              },
            ],
          },
          {
            customerId: 'c-3',
            flags: [
              {
                rule: 'ticket-open-too-long',
                reason: 'Support ticket unresolved for more than 48 hours',
                flaggedAt: at(32),
                evidence: ['o3'],
                episodeId: 'churn-risk c-3 ticket-open-too-long o3',
                rulesVersion: null,
              },
            ],
          },
          {
            customerId: 'c-2',
            flags: [
              {
                rule: 'repeated-hard-effort',
                reason: '2 hard-effort answers (low CES) within 14 days',
                flaggedAt: at(5),
                evidence: ['e1', 'e2'],
                episodeId: 'churn-risk c-2 repeated-hard-effort e1',
                rulesVersion: null,
              },
            ],
          },
        ],
      });
      expect(await countChurnRisksByRule(db.reader)).toEqual([
        { rule: 'detractor-without-use', customers: 1 },
        { rule: 'inactive-after-purchase', customers: 1 },
        { rule: 'repeated-hard-effort', customers: 1 },
        { rule: 'ticket-open-too-long', customers: 1 },
      ]);
      const cleared = await db.reader.get<{ cleared_at: string; cleared_reason: string }>(
        "SELECT cleared_at, cleared_reason FROM churn_risk_flags WHERE episode_id = 'churn-risk c-1 ticket-open-too-long o1'",
      );
      expect(cleared).toEqual({ cleared_at: at(7), cleared_reason: 'ticket t-1 resolved: r1' });
    });
  });

  it('pages by cursor and filters by rule', async () => {
    await withHarness(await flaggedCustomers(), async (h) => {
      const db = h.readModels();
      await new Projector(h.store, db, [new ChurnRiskProjection(), new CustomerValueProjection(), new JourneyMapProjection(h.store, 'UTC')]).catchUp();
      const first = await listChurnRisks(db.reader, { limit: 2 });
      expect(first.items.map((i) => i.customerId)).toEqual(['c-1', 'c-3']);
      expect(first.next).toEqual([at(32), 'c-3']);
      const second = await listChurnRisks(db.reader, { limit: 2, after: first.next });
      expect(second).toEqual({ items: [expect.objectContaining({ customerId: 'c-2' })] });

      const detractors = await listChurnRisks(db.reader, { limit: 10, rule: 'detractor-without-use' });
      expect(detractors.items).toEqual([{ customerId: 'c-1', flags: [expect.objectContaining({ rule: 'detractor-without-use', flaggedAt: at(33) })] }]);
      expect(await listChurnRisks(db.reader, { limit: 10, rule: 'no-such-rule' })).toEqual({ items: [] });
    });
  });

  it('orders by priority: what the customer bought in VND × the highest severity of their open flags', async () => {
    await withHarness(await flaggedCustomers(), async (h) => {
      const db = h.readModels();
      await new Projector(h.store, db, [new ChurnRiskProjection(), new CustomerValueProjection(), new JourneyMapProjection(h.store, 'UTC')]).catchUp();
      const severities = new Map([
        ['detractor-without-use', 3],
        ['inactive-after-purchase', 1],
        ['repeated-hard-effort', 2],
        ['ticket-open-too-long', 5],
      ]);
      const page = await listWithValues(db.reader, { limit: 10, sort: '-priority', severities, valueSince: 0 });
      // c-1 bought 1,290,000 VND, open flags detractor (3) and inactive (1); c-2 and c-3 bought nothing
      expect(page.items.map((i) => [i.customerId, i.value, i.severity, i.priority])).toEqual([
        ['c-1', 1_290_000, 3, 3_870_000],
        ['c-3', 0, 5, 0],
        ['c-2', 0, 2, 0],
      ]);
      const first = await listWithValues(db.reader, { limit: 1, sort: 'priority', severities, valueSince: 0 });
      expect(first.items.map((i) => i.customerId)).toEqual(['c-2']);
      const rest = await listWithValues(db.reader, { limit: 5, sort: 'priority', severities, valueSince: 0, after: first.next });
      expect(rest.items.map((i) => i.customerId)).toEqual(['c-3', 'c-1']);
      // a purchase before the window counts for nothing
      const later = await listWithValues(db.reader, { limit: 10, sort: '-priority', severities, valueSince: Date.parse(at(3)) });
      expect(later.items[0]).toEqual(expect.objectContaining({ customerId: 'c-3', value: 0 }));
    });
  });

  it('rebuilt from scratch it equals the live table', async () => {
    await withHarness(await flaggedCustomers(), async (h) => {
      const liveDb = h.readModels('live.db');
      const live = new Projector(h.store, liveDb, [new ChurnRiskProjection()], { batchSize: 1 });
      await live.catchUp();
      const liveDump = await dumpReadModels(liveDb, live.projections);
      expect(liveDump).toContain('churn-risk c-1 ticket-open-too-long o1');

      const rebuiltDb = h.readModels('rebuilt.db');
      const rebuilt = new Projector(h.store, rebuiltDb, [new ChurnRiskProjection()]);
      await rebuilt.rebuild();
      expect(await dumpReadModels(rebuiltDb, rebuilt.projections)).toBe(liveDump);
      await live.rebuild(['churn-risks']);
      expect(await dumpReadModels(liveDb, live.projections)).toBe(liveDump);
    });
  });

  it('applying the same batch twice changes nothing', async () => {
    await withHarness(await flaggedCustomers(), async (h) => {
      const projection = new ChurnRiskProjection();
      const events = projected(await h.store.readAll({ after: 0, limit: 1000 }));
      const once = h.readModels('once.db');
      const twice = h.readModels('twice.db');
      await once.transaction(async (tx) => {
        await projection.setup(tx);
        await projection.apply(events, tx);
      });
      await twice.transaction(async (tx) => {
        await projection.setup(tx);
        await projection.apply(events, tx);
        await projection.apply(events, tx);
      });
      await twice.transaction((tx) => projection.apply(events.slice(3), tx));
      expect(await dumpReadModels(twice, [projection])).toBe(await dumpReadModels(once, [projection]));
    });
  });
});
