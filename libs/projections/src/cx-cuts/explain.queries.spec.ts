import { BUILT_IN_SCORE_CLASSES, type CustomerCommand, type ScoreClasses } from '@journeyline/journey';
import { postgresHarness } from '@journeyline/projections/testing/postgres-projection-harness';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { previousWindow, resolveWindow } from '../cx-metrics/metric-window';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { Projector } from '../runtime/projector';
import type { ReadModelDatabase } from '../runtime/sql-executor';
import { CxCutsProjection } from './cx-cuts.projection';
import { answersBehindChange, explainMetricChange, type ExplainRequest } from './explain.queries';

/**
 * The reads behind GET /api/v1/metrics/explain, on both read-model stores: every answer in exactly
 * one group (no channel: the group ''; no known segment: the group ''), one scale at a time for
 * CSAT, the same answers under other thresholds (top box) computed from the score counts, and the
 * answers of a group worst (or best) first, yes-no included.
 */
const ZONE = 'Asia/Ho_Chi_Minh';
const window = resolveWindow({ window: '2026-11-08..2026-11-15', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() });
const previous = previousWindow(window, ZONE);

let n = 0;
const at = (day: number, hour = 10) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
const cmd = (customerId: string, occurredAt: string, type: string, data: object) =>
  ({ type, eventId: `x-${++n}`, customerId, occurredAt, data }) as CustomerCommand;
const feedback = (c: string, day: number, kind: string, score: number | boolean, scale: string, channel?: string, comment?: string) =>
  cmd(c, at(day), 'RecordFeedback', { kind, score, scale, touchpoint: 'hotline', ...(channel && { channel }), stage: 'use', ...(comment && { comment }) });

function log(): CustomerCommand[][] {
  n = 0;
  return [
    // SME: known before any answer
    [
      cmd('sme-1', at(1, 8), 'ProfileCustomer', { segment: 'SME' }),
      feedback('sme-1', 2, 'nps', 10, '0-10', 'phone'),
      feedback('sme-1', 9, 'nps', 2, '0-10', 'phone', 'Chờ lâu'),
      feedback('sme-1', 9, 'csat', false, 'yes-no', 'phone', 'Không hài lòng'),
      feedback('sme-1', 10, 'csat', true, 'yes-no', 'phone', 'Ổn'),
    ],
    // no segment, answers without a channel
    [
      feedback('anon-1', 3, 'nps', 9, '0-10'),
      feedback('anon-1', 10, 'nps', 0, '0-10', undefined, 'Tệ'),
      feedback('anon-1', 10, 'csat', 4, '1-5', undefined, 'Được'),
      feedback('anon-1', 11, 'csat', 2, '1-5', 'phone', 'Kém'),
      feedback('anon-1', 12, 'csat', 5, '1-5', 'phone'),
      feedback('anon-1', 3, 'csat', 5, '1-5', 'phone'),
    ],
  ];
}

async function project(h: { store: Projector['store']; record(c: CustomerCommand[]): Promise<unknown> }, db: ReadModelDatabase) {
  for (const journey of log()) await h.record(journey);
  const projector = new Projector(h.store, db, [new CxCutsProjection(ZONE), new JourneyMapProjection(h.store, ZONE)]);
  await projector.init();
  await projector.catchUp();
}

/** CSAT 1-5 top box: only a 5 is satisfied. */
const TOP_BOX: ScoreClasses = { ...BUILT_IN_SCORE_CLASSES, csat: { satisfiedMin: { ...BUILT_IN_SCORE_CLASSES.csat.satisfiedMin, '1-5': 5 } } };
const request = (r: Partial<ExplainRequest>): ExplainRequest => ({ metric: 'nps', place: { touchpoint: 'hotline' }, by: 'channel', window, previous, ...r });
const counts = (groups: { key: string; nPrevious: number; nCurrent: number }[]) =>
  groups.map((g) => [g.key, g.nPrevious, g.nCurrent]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
const pick = (answers: { customerId: string; score: unknown; channel: string | null }[]) => answers.map((a) => [a.customerId, a.score, a.channel]);

async function reads(db: ReadModelDatabase) {
  const bySegment = await explainMetricChange(db.reader, request({ by: 'segment' }));
  const byChannel = await explainMetricChange(db.reader, request({}));
  const csat = await explainMetricChange(db.reader, request({ metric: 'csat' }));
  const yesNo = await explainMetricChange(db.reader, request({ metric: 'csat', scale: 'yes-no' }));
  const topBox = await explainMetricChange(db.reader, request({ metric: 'csat', classes: TOP_BOX }));
  const topBoxBySegment = await explainMetricChange(db.reader, request({ metric: 'csat', by: 'segment', classes: TOP_BOX }));
  const common = { scale: null, place: { touchpoint: 'hotline' }, window, bucketTimeZone: ZONE, limit: 10 } as const;
  return {
    bySegment,
    byChannel,
    csat,
    yesNo,
    topBox,
    topBoxBySegment,
    noChannelWorst: await answersBehindChange(db.reader, { ...common, metric: 'nps', by: 'channel', key: '', order: 'worst' }),
    smeWorst: await answersBehindChange(db.reader, { ...common, metric: 'nps', by: 'segment', key: 'SME', order: 'worst' }),
    yesNoWorst: await answersBehindChange(db.reader, { ...common, metric: 'csat', scale: 'yes-no', by: 'channel', key: 'phone', order: 'worst' }),
    fiveBest: await answersBehindChange(db.reader, { ...common, metric: 'csat', scale: '1-5', by: 'stage', key: 'use', order: 'best' }),
    ttr: await answersBehindChange(db.reader, { ...common, metric: 'ttr', by: 'channel', key: 'phone', order: 'worst' }),
  };
}

function expectHandWorked(r: Awaited<ReturnType<typeof reads>>) {
  // NPS: before, sme-1's 10 (phone, SME) and anon-1's 9 (no channel, no segment); now sme-1's 2 and anon-1's 0
  expect(counts(r.bySegment.groups)).toEqual([
    ['', 1, 1],
    ['SME', 1, 1],
  ]);
  expect(counts(r.byChannel.groups)).toEqual([
    ['', 1, 1],
    ['phone', 1, 1],
  ]);
  expect(r.byChannel).toMatchObject({ previous: { value: 100, n: 2 }, current: { value: -100, n: 2 }, change: -200, mix: 0, rate: -200, scale: null });
  // CSAT: 1-5 answered 4 times, yes-no twice: 1-5 is explained unless asked
  expect(r.csat).toMatchObject({ scale: '1-5', scales: ['1-5', 'yes-no'], previous: { value: 100, n: 1 }, current: { n: 3 } });
  expect(r.yesNo).toMatchObject({ scale: 'yes-no', previous: { n: 0 }, current: { value: 50, n: 2 }, change: null });
  // CSAT 1-5: before, a 5 (phone); now 4 (no channel), 2 and 5 (phone). Top-2-box: 100% -> 2 of 3; top box: 100% -> 1 of 3
  expect(r.csat).toMatchObject({ current: { value: 66.67 }, change: -33.33 });
  expect(r.topBox).toMatchObject({ scale: '1-5', previous: { value: 100, n: 1 }, current: { value: 33.33, n: 3 }, change: -66.67 });
  // by phone: 1 of 1 -> 1 of 2 (rate), and the answer with no channel, a 4, is not satisfied now (mix)
  expect(r.topBox.groups.map((g) => [g.key, g.valuePrevious, g.valueCurrent])).toEqual([
    ['phone', 100, 50],
    ['', null, 0],
  ]);
  // by segment, the group of no known segment is the total less the segments': the same under top box
  expect(r.topBoxBySegment).toMatchObject({ current: { value: 33.33 }, change: -66.67 });
  expect(r.topBoxBySegment.groups.map((g) => [g.key, g.valuePrevious, g.valueCurrent])).toEqual([['', 100, 33.33]]);
  // answers with a comment, this week only, worst first
  expect(pick(r.noChannelWorst)).toEqual([['anon-1', 0, null]]);
  expect(pick(r.smeWorst)).toEqual([['sme-1', 2, 'phone']]);
  expect(pick(r.yesNoWorst)).toEqual([
    ['sme-1', false, 'phone'],
    ['sme-1', true, 'phone'],
  ]);
  expect(r.fiveBest.map((a) => a.score)).toEqual([4, 2]);
  expect(r.ttr).toEqual([]);
}

/** Comments are sealed per customer with each store's own keys: compared without them. */
const unsealed = (r: Awaited<ReturnType<typeof reads>>) =>
  JSON.parse(JSON.stringify(r, (key, value: unknown) => (key === 'comment' ? typeof value : value))) as unknown;

describe('explain a metric change: the reads', () => {
  it('groups every answer once, picks a scale, and lists a group’s answers worst or best first (SQLite); PostgreSQL answers the same', async () => {
    let onSqlite: unknown;
    await withHarness(sqliteHarness(), async (h) => {
      const db = h.readModels();
      await project(h, db);
      const r = await reads(db);
      expectHandWorked(r);
      onSqlite = unsealed(r);
    });
    await withHarness(await postgresHarness(), async (h) => {
      const db = await h.readModels();
      await project(h, db);
      const r = await reads(db);
      expectHandWorked(r);
      expect(unsealed(r)).toEqual(onSqlite);
    });
  }, 30_000);
});
