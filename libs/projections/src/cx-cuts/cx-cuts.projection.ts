import {
  customerIdOf,
  durationBin,
  isBottomTwoBox,
  isTopTwoBox,
  localDay,
  npsClass,
  type CustomerProfile,
  type Metric,
  type Scale,
  type Score,
} from '@journeyline/journey';
import { isSealed } from '@journeyline/privacy';
import { insertRows, selectByKeys } from '../runtime/bulk-write';
import { KEY_SEPARATOR, keyPart, KeyedSums } from '../runtime/keyed-sums';
import { METRIC_SUM_AT as SUM } from '../cx-metrics/metric-sum-at';
import { SCORE_AT, SCORE_COLUMNS, SUM_COLUMNS } from './cut-columns';
import { BatchedProjection, type ProjectedEvent, type ProjectionBatch } from '../runtime/projection';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';
import { PORTRAIT_COLUMNS, PORTRAIT_FIELDS, type PortraitField } from './metric-cut';
import { addHistograms, addToBin, histogramTablesSql, TTR_HISTOGRAM_TABLES, weekHistograms, type HistogramDelta, type HistogramKey } from './ttr-histogram';
import { weekOf } from './week-spans';

/** A customer's portrait as the cuts know it: a value per field, null when unknown or sealed. */
export type Portrait = Record<PortraitField, string | null>;

/**
 * The buckets of a local day, and the same sums per week (keyed by its Monday, see week-spans.ts):
 * a window reads its whole weeks from the second, so a long window sums a few rows per group.
 */
export const BUCKET_TABLES = { day: 'cut_buckets', week: 'cut_week_buckets' } as const;

const PLACE_KEY = ['metric', 'pfield', 'pvalue', 'day', 'touchpoint', 'channel', 'stage', 'scale'] as const;

/** The column of a score: its value on a numeric scale, 0 or 1 for no or yes. */
function scoreColumn(score: Score): number | null {
  const index = typeof score === 'boolean' ? Number(score) : score;
  return Number.isInteger(index) && index >= 0 && index < SCORE_COLUMNS.length ? index : null;
}

/**
 * Most buckets and histograms a transaction holds (about 300 bytes each in KeyedSums), so that
 * data with many places, portraits and days cannot grow one without bound. The seed's data
 * (481k events, 50,000 customers) meets 230,000 in one rebuild transaction; ending it at 100,000
 * there took 9.6-11 s against 6.2-7 s for a peak RSS of 299-310 MiB against 334-439.
 */
const MAX_BUCKETS = 250_000;

/**
 * CX metrics cut by place and portrait, as day buckets (local days in the configured time zone).
 * A bucket is keyed by the answer's whole place (touchpoint, channel, stage: absent parts are '')
 * so that any one or two of them group and any of them filter at query time (the key space is
 * small: touchpoints × their channels × stages). The customer portrait is in the key one field at
 * a time (`pfield`, `pvalue`; `pfield = ''` holds every answer once): all five fields together
 * would make nearly every answer a bucket of its own, so a cut takes at most one portrait filter.
 *
 * Whose portrait: the one the answering customer (the event's stream, not the person they were
 * merged into) had when the answer arrived in the log — a pure fold, the same live and rebuilt,
 * never rewritten when the portrait later changes. Answers given before any profile count in no
 * portrait cut. A sealed portrait field (JOURNEYLINE_PERSONAL_FIELDS) is unreadable here and
 * counts as unknown. The latest portrait per customer is kept in `cut_portraits`, which the funnel
 * and retention filters join (indexed per field).
 *
 * A survey answer that replaces an earlier one takes the earlier one back from the portrait it
 * was counted with (`cut_link_answers` remembers that for answers given through a survey link,
 * the only ones that can be replaced).
 */
export class CxCutsProjection extends BatchedProjection {
  readonly name = 'cx-cuts';
  readonly eventTypes: ReadonlySet<string> = new Set(['CustomerProfiled', 'FeedbackGiven', 'TicketOpened', 'TicketResolved']);
  readonly version: string;
  readonly tables = [...Object.values(BUCKET_TABLES), ...Object.values(TTR_HISTOGRAM_TABLES), 'cut_portraits', 'cut_link_answers'];
  readonly queryIndexes = PORTRAIT_FIELDS.map(
    (f) => `CREATE INDEX IF NOT EXISTS cut_portraits_${PORTRAIT_COLUMNS[f]} ON cut_portraits (${PORTRAIT_COLUMNS[f]}, customer_id)`,
  );

  constructor(
    readonly timeZone: string,
    /** Most buckets a transaction holds (default MAX_BUCKETS; tests make it small). */
    private readonly maxBuckets = MAX_BUCKETS,
  ) {
    super();
    // 2: the count of each score (s0..s10), for answers under other metric parameters; 3: week buckets;
    // 4: resolution-time bins packed per day (week) and place (ttr-histogram.ts)
    this.version = `4:${timeZone}`;
  }

  async setup(tx: SqlExecutor): Promise<void> {
    const clustered = clusteredByKey(tx);
    await tx.exec(`
      ${Object.values(BUCKET_TABLES)
        .map(
          (table) => `CREATE TABLE IF NOT EXISTS ${table} (
        metric TEXT NOT NULL, pfield TEXT NOT NULL, pvalue TEXT NOT NULL, day TEXT NOT NULL,
        touchpoint TEXT NOT NULL, channel TEXT NOT NULL, stage TEXT NOT NULL, scale TEXT NOT NULL,
        n BIGINT NOT NULL, promoters BIGINT NOT NULL, passives BIGINT NOT NULL, detractors BIGINT NOT NULL,
        top2 BIGINT NOT NULL, bottom2 BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, sumsq DOUBLE PRECISION NOT NULL, opened BIGINT NOT NULL,
        ${SCORE_COLUMNS.map((c) => `${c} BIGINT NOT NULL`).join(', ')},
        PRIMARY KEY (${PLACE_KEY.join(', ')})
      )${clustered};`,
        )
        .join('\n')}
      ${histogramTablesSql(clustered)}
      -- the resolution-time bins a row each, before version 4
      DROP TABLE IF EXISTS cut_ttr_bins;
      DROP TABLE IF EXISTS cut_week_ttr_bins;
      CREATE TABLE IF NOT EXISTS cut_portraits (
        customer_id TEXT PRIMARY KEY,
        ${PORTRAIT_FIELDS.map((f) => `${PORTRAIT_COLUMNS[f]} TEXT`).join(', ')}
      );
      CREATE TABLE IF NOT EXISTS cut_link_answers (
        event_id TEXT PRIMARY KEY,
        portrait TEXT NOT NULL
      );
    `);
  }

  begin(tx: SqlExecutor): ProjectionBatch {
    return new CxCutsBatch(tx, this.timeZone, this.maxBuckets);
  }
}

const NO_PORTRAIT: Portrait = { segment: null, region: null, ageBand: null, gender: null, acquisitionChannel: null };

interface Place {
  touchpoint?: string;
  channel?: string;
  stage?: string;
}

/** One transaction: portraits read once per customer, deltas summed in memory, each row written once. */
class CxCutsBatch implements ProjectionBatch {
  private readonly portraits = new Map<string, Portrait>();
  private readonly changedPortraits = new Set<string>();
  private readonly linkAnswers = new Map<string, string>();
  private readonly newLinkAnswers: [string, string][] = [];
  private readonly buckets = new KeyedSums(SUM_COLUMNS.length);
  private readonly histograms = new Map<string, HistogramDelta>();

  constructor(
    private readonly tx: SqlExecutor,
    private readonly timeZone: string,
    private readonly maxBuckets: number,
  ) {}

  get full(): boolean {
    return this.portraits.size > 200_000 || this.buckets.size + this.histograms.size >= this.maxBuckets;
  }

  async apply(events: readonly ProjectedEvent[]): Promise<void> {
    await this.loadPortraits(events);
    await this.loadReplaced(events);
    for (const event of events) {
      const customerId = customerIdOf(event.streamId) ?? event.streamId;
      const portrait = this.portraits.get(customerId) ?? NO_PORTRAIT;
      switch (event.type) {
        case 'CustomerProfiled':
          this.portraits.set(customerId, profiled(portrait, event.data));
          this.changedPortraits.add(customerId);
          break;
        case 'FeedbackGiven': {
          const { replaces, survey } = event.data;
          if (replaces) {
            const counted = this.linkAnswers.get(replaces.eventId);
            this.count({ ...replaces, data: replaces }, counted ? (JSON.parse(counted) as Portrait) : portrait, -1);
          }
          if (survey?.linkId && event.data.kind !== 'comment') {
            const counted = JSON.stringify(portrait);
            this.linkAnswers.set(event.eventId, counted);
            this.newLinkAnswers.push([event.eventId, counted]);
          }
          this.count({ occurredAt: event.occurredAt, data: event.data }, portrait, 1);
          break;
        }
        case 'TicketOpened': {
          const day = localDay(event.occurredAt, this.timeZone);
          for (const key of keysOf('ttr', day, event.data, '', portrait)) {
            const at = this.buckets.at(key); // first: it may grow `values`
            this.buckets.values[at + SUM.opened] += 1;
          }
          break;
        }
        case 'TicketResolved': {
          const day = localDay(event.occurredAt, this.timeZone);
          const { resolutionMs } = event.data;
          const bin = durationBin(resolutionMs);
          // whole milliseconds and whole seconds squared: exact in a double, whatever the batches (as cx-metrics)
          const seconds = Math.round(resolutionMs / 1000);
          for (const key of keysOf('ttr', day, event.data, '', portrait)) {
            const at = this.buckets.at(key);
            const sums = this.buckets.values;
            sums[at + SUM.n] += 1;
            sums[at + SUM.sum] += resolutionMs;
            sums[at + SUM.sumsq] += seconds * seconds;
            // the bucket's key without its metric and scale: pfield, pvalue, day, touchpoint, channel, stage
            const id = key.slice(key.indexOf(KEY_SEPARATOR) + 1, key.lastIndexOf(KEY_SEPARATOR));
            let histogram = this.histograms.get(id);
            if (!histogram) this.histograms.set(id, (histogram = { key: id.split(KEY_SEPARATOR) as HistogramKey, bins: new Map() }));
            addToBin(histogram.bins, bin, 1);
          }
          break;
        }
      }
    }
  }

  /** Adds (1) or takes back (−1) one scored answer under each of its cuts; a comment counts in none. */
  private count(answer: { occurredAt: string; data: { kind: string; score?: Score; scale?: Scale } & Place }, portrait: Portrait, weight: 1 | -1): void {
    const { kind, score, scale } = answer.data;
    if (kind === 'comment' || score === undefined || scale === undefined) return;
    const day = localDay(answer.occurredAt, this.timeZone);
    for (const key of keysOf(kind as Metric, day, answer.data, kind === 'nps' ? '0-10' : scale, portrait)) {
      const at = this.buckets.at(key);
      const sums = this.buckets.values;
      sums[at + SUM.n] += weight;
      if (kind === 'nps') sums[at + SUM[`${npsClass(score as number)}s` as 'promoters' | 'passives' | 'detractors']] += weight;
      if (isTopTwoBox(score, scale)) sums[at + SUM.top2] += weight;
      if (isBottomTwoBox(score, scale)) sums[at + SUM.bottom2] += weight;
      if (typeof score === 'number') {
        sums[at + SUM.sum] += weight * score;
        sums[at + SUM.sumsq] += weight * score * score;
      }
      const column = scoreColumn(score);
      if (column !== null) sums[at + SCORE_AT + column] += weight;
    }
  }

  private async loadPortraits(events: readonly ProjectedEvent[]): Promise<void> {
    const missing = [...new Set(events.map((e) => customerIdOf(e.streamId) ?? e.streamId))].filter((id) => !this.portraits.has(id));
    if (missing.length === 0) return;
    const columns = PORTRAIT_FIELDS.map((f) => `${PORTRAIT_COLUMNS[f]} AS "${f}"`).join(', ');
    const rows = await selectByKeys<Portrait & { customer_id: string }>(
      this.tx,
      (keys) => `SELECT customer_id, ${columns} FROM cut_portraits WHERE customer_id IN (${keys})`,
      missing,
    );
    const found = new Map(rows.map((r) => [r.customer_id, r]));
    for (const id of missing) {
      const row = found.get(id);
      this.portraits.set(id, row ? (Object.fromEntries(PORTRAIT_FIELDS.map((f) => [f, row[f] ?? null])) as Portrait) : NO_PORTRAIT);
    }
  }

  private async loadReplaced(events: readonly ProjectedEvent[]): Promise<void> {
    const ids = events.flatMap((e) =>
      e.type === 'FeedbackGiven' && e.data.replaces && !this.linkAnswers.has(e.data.replaces.eventId) ? [e.data.replaces.eventId] : [],
    );
    if (ids.length === 0) return;
    const rows = await selectByKeys<{ event_id: string; portrait: string }>(
      this.tx,
      (keys) => `SELECT event_id, portrait FROM cut_link_answers WHERE event_id IN (${keys})`,
      ids,
    );
    for (const row of rows) this.linkAnswers.set(row.event_id, row.portrait);
  }

  async flush(): Promise<void> {
    const { tx } = this;
    await addBuckets(tx, BUCKET_TABLES.day, this.buckets);
    await addBuckets(tx, BUCKET_TABLES.week, weekBuckets(this.buckets));
    const dayHistograms = [...this.histograms.values()];
    await addHistograms(tx, TTR_HISTOGRAM_TABLES.day, dayHistograms);
    await addHistograms(tx, TTR_HISTOGRAM_TABLES.week, weekHistograms(dayHistograms));
    const columns = PORTRAIT_FIELDS.map((f) => PORTRAIT_COLUMNS[f]);
    await insertRows(
      tx,
      `INSERT INTO cut_portraits (customer_id, ${columns.join(', ')})`,
      [...this.changedPortraits].map((id) => {
        const portrait = this.portraits.get(id)!;
        return [id, ...PORTRAIT_FIELDS.map((f) => portrait[f])];
      }),
      `ON CONFLICT (customer_id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    );
    await insertRows(tx, 'INSERT INTO cut_link_answers (event_id, portrait)', this.newLinkAnswers, 'ON CONFLICT (event_id) DO NOTHING');
  }
}

/** Adds bucket deltas to a bucket table's rows (made when missing). */
function addBuckets(tx: SqlExecutor, table: string, deltas: KeyedSums): Promise<void> {
  return insertRows(
    tx,
    `INSERT INTO ${table} (${PLACE_KEY.join(', ')}, ${SUM_COLUMNS.join(', ')})`,
    deltas.tableRows(),
    `ON CONFLICT (${PLACE_KEY.join(', ')}) DO UPDATE SET ${SUM_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
  );
}

/** The day deltas summed per week (the day part of the key then holds the week's Monday). */
function weekBuckets(days: KeyedSums): KeyedSums {
  const weeks = new KeyedSums(days.width);
  for (const [key, at] of days.entries()) {
    const parts = key.split(KEY_SEPARATOR);
    parts[3] = weekOf(parts[3]);
    weeks.addFrom(parts.join(KEY_SEPARATOR), days, at);
  }
  return weeks;
}

/** The portrait after a profile: the fields it gives replace the known ones; a sealed one is unreadable, so unknown. */
function profiled(portrait: Portrait, data: CustomerProfile): Portrait {
  const next = { ...portrait };
  for (const field of PORTRAIT_FIELDS) {
    const value = data[field];
    if (value !== undefined) next[field] = isSealed(value) ? null : value;
  }
  return next;
}

/** The bucket rows one answer counts in: its place under no portrait field, and under each known portrait field. */
function keysOf(metric: Metric, day: string, place: Place, scale: string, portrait: Portrait): string[] {
  const parts = [day, place.touchpoint ?? '', place.channel ?? '', place.stage ?? '', scale];
  const at = KEY_SEPARATOR + parts.map(keyPart).join(KEY_SEPARATOR);
  const keys = [`${metric}${KEY_SEPARATOR}${KEY_SEPARATOR}${at}`];
  for (const field of PORTRAIT_FIELDS) {
    const value = portrait[field];
    if (value !== null) keys.push(`${metric}${KEY_SEPARATOR}${field}${KEY_SEPARATOR}${keyPart(value)}${at}`);
  }
  return keys;
}
