import { METRIC_SUM_FIELDS, type MetricSums } from '@journeyline/journey';

/**
 * The count of each score in a bucket, one column per score (0 to 10; no and yes are 0 and 1 on a
 * yes-no scale): an answer under other metric parameters (another CSAT top box, other NPS
 * classes) is computed from them at query time (see cutScoreCounts). Columns rather than a table
 * of scores: a cut bucket stays one row.
 */
export const SCORE_COLUMNS = Array.from({ length: 11 }, (_, score) => `s${score}`);

/** What a bucket adds up: the metric sums, then the count of each score. */
export const SUM_COLUMNS: readonly string[] = [...METRIC_SUM_FIELDS, ...SCORE_COLUMNS];

/** Where a metric sum sits in a bucket's row of BucketSums.values. */
export const SUM: Readonly<Record<keyof MetricSums, number>> = Object.fromEntries(METRIC_SUM_FIELDS.map((field, i) => [field, i])) as Record<
  keyof MetricSums,
  number
>;

/** Where the count of score 0 sits (score k at SCORE_AT + k). */
export const SCORE_AT = METRIC_SUM_FIELDS.length;

const WIDTH = SUM_COLUMNS.length;

/** The separator of a bucket key's parts (no part of a key holds it). */
export const KEY_SEPARATOR = '\u0000';

/**
 * The deltas of one transaction, by bucket key (its key columns joined by KEY_SEPARATOR): every
 * bucket is a row of one growing Float64Array instead of an object with a row array and a score
 * array. A rebuild's transaction holds a few hundred thousand buckets; as objects they took about
 * 600 bytes each and, being long-lived, grew V8's old generation with them.
 */
export class BucketSums {
  private readonly rows = new Map<string, number>();
  /** Row r's columns (SUM_COLUMNS' order) at r × WIDTH. */
  values = new Float64Array(1024 * WIDTH);

  get size(): number {
    return this.rows.size;
  }

  /** Where the bucket's row starts in `values` (a new bucket's row holds zeros). Read `values` after calling: it may grow. */
  at(key: string): number {
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.rows.size;
      if ((row + 1) * WIDTH > this.values.length) {
        const grown = new Float64Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
      this.rows.set(key, row);
    }
    return row * WIDTH;
  }

  /** Adds another set of sums' bucket into this one's bucket `key`. */
  addFrom(key: string, other: BucketSums, from: number): void {
    const to = this.at(key);
    for (let c = 0; c < WIDTH; c++) this.values[to + c] += other.values[from + c];
  }

  /** Each bucket's key and where its row starts. */
  *entries(): IterableIterator<[string, number]> {
    for (const [key, row] of this.rows) yield [key, row * WIDTH];
  }

  /** Each bucket as a table row: its key's parts, then its sums (SUM_COLUMNS' order). */
  *tableRows(): IterableIterator<unknown[]> {
    for (const [key, at] of this.entries()) {
      const row: unknown[] = key.split(KEY_SEPARATOR);
      for (let c = 0; c < WIDTH; c++) row.push(this.values[at + c]);
      yield row;
    }
  }
}
