/**
 * Metrics as of a past moment: the fast path (rows by recorded day, plus the day of asOf replayed)
 * equals a replay of the log up to asOf, on generated answers recorded over several days, many of
 * them late (recorded days after they occurred). Real SQLite store with its recording clock set.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { SqliteEventStore } from '@journeyline/event-store';
import { recordCustomerEvents } from '@journeyline/recording';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import type { CustomerCommand, Metric } from '@journeyline/journey';
import { CxMetricsProjection, DIMENSIONS } from '../cx-metrics/cx-metrics.projection';
import { dailySeries, queryMetrics, scoreDistribution } from '../cx-metrics/cx-metrics.queries';
import { resolveWindow } from '../cx-metrics/metric-window';
import { Projector } from '../runtime/projector';
import { SqliteReadModelDatabase } from '../sqlite/sqlite-read-model-database';
import { metricsAsOf } from './metrics-as-of';
import { RecordedUntil } from './recorded-until';

const ZONE = 'Asia/Ho_Chi_Minh';
const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00+07:00');
const TOUCHPOINTS = ['hotline', 'web:pricing', 'app:checkout'];
const CHANNELS = ['phone', 'web', 'app'];

interface Answer {
  occurredDay: number;
  occurredHour: number;
  /** Recorded this many hours after the start of the first day (never before a previous batch). */
  kind: 'nps' | 'csat' | 'ces' | 'ticket';
  score: number;
  touchpoint: number;
  channel: number;
}

const answer = fc.record({
  occurredDay: fc.integer({ min: 0, max: 9 }),
  occurredHour: fc.integer({ min: 0, max: 23 }),
  kind: fc.constantFrom<Answer['kind']>('nps', 'csat', 'ces', 'ticket'),
  score: fc.integer({ min: 0, max: 10 }),
  touchpoint: fc.integer({ min: 0, max: 2 }),
  channel: fc.integer({ min: 0, max: 2 }),
});

/** Batches of answers, each recorded at an hour offset from START (rising). */
const history = fc.array(fc.record({ afterHours: fc.integer({ min: 0, max: 60 }), answers: fc.array(answer, { minLength: 1, maxLength: 8 }) }), {
  minLength: 1,
  maxLength: 8,
});

let n = 0;
function commandsOf(answers: Answer[]): CustomerCommand[] {
  return answers.flatMap((a): CustomerCommand[] => {
    const occurredAt = new Date(START + a.occurredDay * DAY + a.occurredHour * 3_600_000).toISOString();
    const customerId = `c-${a.touchpoint}-${a.channel}`;
    const place = { touchpoint: TOUCHPOINTS[a.touchpoint], channel: CHANNELS[a.channel] };
    if (a.kind === 'ticket') {
      const ticketId = `t-${++n}`;
      const resolvedAt = new Date(Date.parse(occurredAt) + (1 + a.score) * 3_600_000).toISOString();
      return [
        { type: 'OpenTicket', eventId: `o-${n}`, customerId, occurredAt, data: { ticketId, ...place } },
        { type: 'ResolveTicket', eventId: `r-${n}`, customerId, occurredAt: resolvedAt, data: { ticketId } },
      ] as CustomerCommand[];
    }
    const scale = a.kind === 'nps' ? '0-10' : a.kind === 'csat' ? '1-5' : '1-7';
    const score = a.kind === 'nps' ? a.score : 1 + (a.score % (a.kind === 'csat' ? 5 : 7));
    return [{ type: 'RecordFeedback', eventId: `f-${++n}`, customerId, occurredAt, data: { kind: a.kind, score, scale, ...place } } as CustomerCommand];
  });
}

async function answersOf(reader: Parameters<typeof queryMetrics>[0], asOf?: Awaited<ReturnType<typeof metricsAsOf>>) {
  const window = resolveWindow({ window: '2026-10-25..2026-11-20', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date(START) });
  const out: unknown[] = [];
  for (const metric of ['nps', 'csat', 'ces', 'ttr'] as Metric[])
    for (const by of DIMENSIONS) {
      out.push(await queryMetrics(reader, metric, by, window, 1, undefined, asOf));
      const key = by === 'all' ? '*' : by === 'touchpoint' ? 'hotline' : by === 'channel' ? 'phone' : 'use';
      out.push(await dailySeries(reader, metric, by, key, window, 1, 3, asOf));
      if (metric !== 'ttr') out.push(await scoreDistribution(reader, metric, by, key, window, asOf));
    }
  return out;
}

describe('metrics as of a past moment', () => {
  it('the recorded-day fast path equals a replay of the log up to asOf (property)', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.array(fc.integer({ min: -2, max: 500 }), { minLength: 1, maxLength: 4 }), async (batches, asOfHours) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-as-of-'));
        let clock = START;
        const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'), { clock: () => new Date(clock) });
        const readModels = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
        try {
          for (const batch of batches) {
            clock += batch.afterHours * 3_600_000 + 1;
            await recordCustomerEvents(store, commandsOf(batch.answers), { personal: localPersonalData(path.join(dir, 'journeyline.db')) });
          }
          await new Projector(store, readModels, [new CxMetricsProjection(ZONE)], { batchSize: 3 }).catchUp();
          for (const hours of asOfHours) {
            // on the hour (some at a local midnight: the buckets alone), or a minute past one
            const asOf = new Date(START + hours * 3_600_000 + (hours % 2 === 0 ? 0 : 60_000));
            const fast = await metricsAsOf(store, readModels.reader, ZONE, asOf);
            const replayed = SqliteReadModelDatabase.open(':memory:');
            try {
              await new Projector(new RecordedUntil(store, asOf), replayed, [new CxMetricsProjection(ZONE)]).catchUp();
              expect(await answersOf(readModels.reader, fast)).toEqual(await answersOf(replayed.reader));
            } finally {
              await fast.release();
              await replayed.close();
            }
          }
        } finally {
          await readModels.close();
          await store.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it('late answers: a touchpoint NPS as of before they were recorded differs from after, by the buckets alone at a midnight', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-as-of-'));
    let clock = Date.parse('2026-11-20T10:00:00+07:00');
    const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'), { clock: () => new Date(clock) });
    const readModels = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
    try {
      const nps = (id: string, score: number, occurredAt: string): CustomerCommand =>
        ({
          type: 'RecordFeedback',
          eventId: id,
          customerId: id,
          occurredAt,
          data: { kind: 'nps', score, scale: '0-10', touchpoint: 'hotline' },
        }) as CustomerCommand;
      const personal = localPersonalData(path.join(dir, 'journeyline.db'));
      await recordCustomerEvents(store, [nps('p1', 10, '2026-11-20T09:00:00+07:00'), nps('p2', 9, '2026-11-20T09:30:00+07:00')], { personal });
      // two days later, answers given on the 19th arrive (a late import)
      clock = Date.parse('2026-11-22T08:00:00+07:00');
      await recordCustomerEvents(store, [nps('d1', 0, '2026-11-19T15:00:00+07:00'), nps('d2', 3, '2026-11-19T16:00:00+07:00')], { personal });
      await new Projector(store, readModels, [new CxMetricsProjection(ZONE)]).catchUp();
      const window = resolveWindow({ window: '2026-11-01..2026-12-01', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date(clock) });
      const hotline = async (asOf?: Date) => {
        const view = asOf ? await metricsAsOf(store, readModels.reader, ZONE, asOf) : undefined;
        try {
          const [row] = await queryMetrics(readModels.reader, 'nps', 'touchpoint', window, 1, 'hotline', view);
          return { value: row.value, n: row.n, path: view?.path };
        } finally {
          await view?.release();
        }
      };
      expect(await hotline(new Date('2026-11-21T00:00:00+07:00'))).toEqual({ value: 100, n: 2, path: 'recorded-day buckets' });
      expect(await hotline(new Date('2026-11-22T07:00:00+07:00'))).toEqual({ value: 100, n: 2, path: 'recorded-day buckets + the day replayed' });
      expect(await hotline(new Date('2026-11-22T09:00:00+07:00'))).toEqual({ value: 0, n: 4, path: 'recorded-day buckets + the day replayed' });
      expect(await hotline(new Date('2026-11-23T00:00:00+07:00'))).toEqual({ value: 0, n: 4, path: 'recorded-day buckets' });
      expect(await hotline()).toEqual({ value: 0, n: 4, path: undefined });
    } finally {
      await readModels.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
