import { durationBin, isBottomTwoBox, isTopTwoBox, localDay, METRIC_SUM_FIELDS, npsClass, type Metric, type Scale, type Score } from '@journeyline/journey';
import { BatchedProjection, type ProjectedEvent, type ProjectionBatch } from '../runtime/projection';
import { insertRows } from '../runtime/bulk-write';
import { KEY_SEPARATOR, keyPart, KeyedSums } from '../runtime/keyed-sums';
import { METRIC_SUM_AT as SUM } from './metric-sum-at';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/** The dimensions a metric is broken down by; `all` (key `*`) is the overall figure. */
export const DIMENSIONS = ['touchpoint', 'channel', 'stage', 'all'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * Most buckets, score counts and resolution-time bins a transaction holds (see KeyedSums): the
 * projection then ends it, so a long rebuild transaction over data with many places and days
 * cannot grow them without bound.
 */
const MAX_ENTRIES = 250_000;

/**
 * The fold of each metric (its definition is in libs/journey's metric-definitions.ts): rolling CX metrics as day buckets (local days in the configured time zone) per touchpoint,
 * channel and stage, holding counts and sums, never averages: NPS classes, CSAT top-2-box per
 * scale, CES sum / sum of squares / easy and hard counts per scale, tickets opened and resolved
 * with resolution-time sums and DDSketch bins for the median and p90, and the count of each score
 * (the distribution). Windows are sums of buckets. Deltas of a batch are summed in memory and
 * written once per bucket.
 *
 * Every row is also keyed by `rday`, the local day the event was recorded (its `recordedAt`):
 * what Journeyline knew at the start of day D is the rows with rday < D, which is how metrics
 * answer `asOf` without replaying the log (see libs/projections/src/as-of). Events arriving on
 * the day they occurred add no rows; only late (or backfilled) ones do. `cx_recorded_days` keeps
 * the first position recorded on each day, where a replay of part of a day starts. Which events were applied is the runtime's checkpoint alone: the
 * projector never hands a projection an event at or before it, so nothing here keeps a position.
 */
export class CxMetricsProjection extends BatchedProjection {
  readonly name = 'cx-metrics';
  readonly eventTypes: ReadonlySet<string> = new Set(['FeedbackGiven', 'TicketOpened', 'TicketResolved']);
  readonly version: string;
  readonly tables = ['cx_buckets', 'cx_scores', 'cx_ttr_bins', 'cx_recorded_days'] as const;
  /** cx_applied: the position version 2 kept beside the runtime's checkpoint. */
  protected override readonly retiredTables = ['cx_applied'];

  constructor(
    readonly timeZone: string,
    /** Most entries a transaction holds (default MAX_ENTRIES; tests make it small). */
    private readonly maxEntries = MAX_ENTRIES,
  ) {
    super();
    // Buckets depend on the zone: a different zone means a rebuild.
    this.version = `4:${timeZone}`;
  }

  async setup(tx: SqlExecutor): Promise<void> {
    const clustered = clusteredByKey(tx);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS cx_buckets (
        dim TEXT NOT NULL, metric TEXT NOT NULL, day TEXT NOT NULL, key TEXT NOT NULL, scale TEXT NOT NULL,
        n BIGINT NOT NULL, promoters BIGINT NOT NULL, passives BIGINT NOT NULL, detractors BIGINT NOT NULL,
        top2 BIGINT NOT NULL, bottom2 BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, sumsq DOUBLE PRECISION NOT NULL, opened BIGINT NOT NULL,
        rday TEXT NOT NULL,
        PRIMARY KEY (dim, metric, day, key, scale, rday)
      )${clustered};
      CREATE TABLE IF NOT EXISTS cx_scores (
        dim TEXT NOT NULL, metric TEXT NOT NULL, day TEXT NOT NULL, key TEXT NOT NULL, scale TEXT NOT NULL, score TEXT NOT NULL, count BIGINT NOT NULL,
        rday TEXT NOT NULL,
        PRIMARY KEY (dim, metric, key, day, scale, score, rday)
      )${clustered};
      CREATE TABLE IF NOT EXISTS cx_ttr_bins (
        dim TEXT NOT NULL, day TEXT NOT NULL, key TEXT NOT NULL, bin INTEGER NOT NULL, count BIGINT NOT NULL,
        rday TEXT NOT NULL,
        PRIMARY KEY (dim, day, key, bin, rday)
      )${clustered};
      CREATE TABLE IF NOT EXISTS cx_recorded_days (rday TEXT PRIMARY KEY, first_position BIGINT NOT NULL);
    `);
  }

  begin(tx: SqlExecutor): ProjectionBatch {
    return new CxMetricsBatch(tx, this.timeZone, this.maxEntries);
  }
}

/** One transaction of the metrics: deltas summed in memory over all its reads, each bucket written once. */
class CxMetricsBatch implements ProjectionBatch {
  /** By dim, metric, day, key, scale, rday: the metric sums. */
  private readonly buckets = new KeyedSums(METRIC_SUM_FIELDS.length);
  /** By dim, metric, day, key, scale, score, rday: the count. */
  private readonly scores = new KeyedSums(1);
  /** By dim, day, key, bin, rday: the count of resolution times in the bin. */
  private readonly bins = new KeyedSums(1);
  /** The first position of each recorded day in this transaction. */
  private readonly recordedDays = new Map<string, number>();
  /** The recorded day of the event being applied. */
  private rday = '';

  constructor(
    private readonly tx: SqlExecutor,
    private readonly timeZone: string,
    private readonly maxEntries: number,
  ) {}

  get full(): boolean {
    return this.buckets.size + this.scores.size + this.bins.size >= this.maxEntries;
  }

  async apply(events: readonly ProjectedEvent[]): Promise<void> {
    const { buckets, bins } = this;
    for (const event of events) {
      this.rday = localDay(event.recordedAt, this.timeZone);
      const first = this.recordedDays.get(this.rday);
      if (first === undefined || event.position < first) this.recordedDays.set(this.rday, event.position);
      switch (event.type) {
        case 'FeedbackGiven': {
          // a survey link's second answer within its window: the first one no longer counts
          const { replaces } = event.data;
          if (replaces) this.count({ ...replaces, data: replaces }, -1);
          this.count({ occurredAt: event.occurredAt, data: event.data }, 1);
          break;
        }
        case 'TicketOpened': {
          const day = localDay(event.occurredAt, this.timeZone);
          for (const [dim, key] of dimensionsOf(event.data)) {
            const at = buckets.at(bucketKey(dim, 'ttr', day, key, '', this.rday)); // first: it may grow `values`
            buckets.values[at + SUM.opened] += 1;
          }
          break;
        }
        case 'TicketResolved': {
          const day = localDay(event.occurredAt, this.timeZone);
          const data = event.data;
          const bin = durationBin(data.resolutionMs);
          for (const [dim, key] of dimensionsOf(data)) {
            const at = buckets.at(bucketKey(dim, 'ttr', day, key, '', this.rday));
            const sums = buckets.values;
            sums[at + SUM.n] += 1;
            // Whole milliseconds and whole seconds squared stay exact integers in a double, so sums
            // do not depend on batch boundaries (a rebuild equals the live result byte for byte).
            const seconds = Math.round(data.resolutionMs / 1000);
            sums[at + SUM.sum] += data.resolutionMs;
            sums[at + SUM.sumsq] += seconds * seconds;
            bins.add([dim, day, key, bin, this.rday].join(KEY_SEPARATOR));
          }
          break;
        }
      }
    }
  }

  /** Adds (weight 1) or takes back (weight −1) one scored answer; a comment has no score and counts in no metric. */
  private count(answer: { occurredAt: string; data: { kind: string; score?: Score; scale?: Scale } & Place }, weight: 1 | -1): void {
    const { kind, score, scale } = answer.data;
    if (kind === 'comment' || score === undefined || scale === undefined) return;
    const metric = kind as Metric;
    const day = localDay(answer.occurredAt, this.timeZone);
    for (const [dim, key] of dimensionsOf(answer.data)) {
      const at = this.buckets.at(bucketKey(dim, metric, day, key, kind === 'nps' ? '0-10' : scale, this.rday));
      const sums = this.buckets.values;
      sums[at + SUM.n] += weight;
      if (kind === 'nps') sums[at + SUM[`${npsClass(score as number)}s` as 'promoters' | 'passives' | 'detractors']] += weight;
      if (isTopTwoBox(score, scale)) sums[at + SUM.top2] += weight;
      if (isBottomTwoBox(score, scale)) sums[at + SUM.bottom2] += weight;
      if (typeof score === 'number') {
        sums[at + SUM.sum] += weight * score;
        sums[at + SUM.sumsq] += weight * score * score;
      }
      this.scores.add([dim, kind, day, key, scale, String(score), this.rday].join(KEY_SEPARATOR), weight);
    }
  }

  async flush(): Promise<void> {
    const { tx } = this;
    if (this.recordedDays.size > 0)
      await insertRows(
        tx,
        'INSERT INTO cx_recorded_days (rday, first_position)',
        [...this.recordedDays],
        `ON CONFLICT (rday) DO UPDATE SET first_position = CASE WHEN excluded.first_position < cx_recorded_days.first_position
           THEN excluded.first_position ELSE cx_recorded_days.first_position END`,
      );
    if (this.buckets.size === 0) return;
    await insertRows(
      tx,
      `INSERT INTO cx_buckets (dim, metric, day, key, scale, rday, ${METRIC_SUM_FIELDS.join(', ')})`,
      this.buckets.tableRows(),
      `ON CONFLICT (dim, metric, day, key, scale, rday) DO UPDATE SET n = cx_buckets.n + excluded.n, promoters = cx_buckets.promoters + excluded.promoters,
         passives = cx_buckets.passives + excluded.passives, detractors = cx_buckets.detractors + excluded.detractors, top2 = cx_buckets.top2 + excluded.top2,
         bottom2 = cx_buckets.bottom2 + excluded.bottom2, sum = cx_buckets.sum + excluded.sum, sumsq = cx_buckets.sumsq + excluded.sumsq,
         opened = cx_buckets.opened + excluded.opened`,
    );
    await insertRows(
      tx,
      'INSERT INTO cx_scores (dim, metric, day, key, scale, score, rday, count)',
      this.scores.tableRows(),
      'ON CONFLICT (dim, metric, key, day, scale, score, rday) DO UPDATE SET count = cx_scores.count + excluded.count',
    );
    await insertRows(
      tx,
      'INSERT INTO cx_ttr_bins (dim, day, key, bin, rday, count)',
      this.bins.tableRows(),
      'ON CONFLICT (dim, day, key, bin, rday) DO UPDATE SET count = cx_ttr_bins.count + excluded.count',
    );
  }
}

interface Place {
  touchpoint?: string;
  channel?: string;
  stage?: string;
}

function dimensionsOf(data: Place): [Dimension, string][] {
  const dims: [Dimension, string][] = [['all', '*']];
  if (data.touchpoint) dims.push(['touchpoint', data.touchpoint]);
  if (data.channel) dims.push(['channel', data.channel]);
  if (data.stage) dims.push(['stage', data.stage]);
  return dims;
}

/** A bucket's key: the parts of its row before the sums. */
function bucketKey(dim: Dimension, metric: Metric, day: string, key: string, scale: string, rday: string): string {
  return [dim, metric, day, keyPart(key), scale, rday].join(KEY_SEPARATOR);
}
