import { scaleRange, type Scale } from '../feedback-scales';
import { round } from './interval';
import { METRIC_DEFINITIONS, type Metric } from './metric-definitions';
import { exactShareBounds, sampleStandardDeviation, studentQuantile975, studentTwoSided } from './significance-math';

export { sampleStandardDeviation };

/**
 * When is a touchpoint's score a real problem rather than noise, and is a change a real change?
 * Both are judged by a 95% interval or a test, never by a minimum count alone: 14 answers whose
 * whole interval lies far below the target are a problem, 40 mediocre answers close to the
 * company's value are not.
 *
 * A row is what a metric query answers (the metric's definition makes it from summed buckets):
 * value, n, 95% interval and the details the judgement reads (promoters/passives/detractors for
 * NPS, satisfied for CSAT, sd for the means).
 */
export interface JudgedRow {
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  scale?: string;
  [detail: string]: unknown;
}

/** A target as set for a touchpoint, its owner or everything: the value must stay ≥ min and/or ≤ max. */
export interface TargetBounds {
  min?: number | null;
  max?: number | null;
}

/**
 * The interval a judgement reads: the row's own 95% interval, widened to the exact one where
 * that is wider. The rows' intervals are normal approximations (Wilson, pseudo-count NPS, mean ±
 * 1.96·sd/√n) that are too narrow for a handful of answers: three identical 1-star reviews
 * would get the zero-width interval [1, 1]. The exact bounds are Clopper-Pearson for shares
 * (CSAT; promoters and detractors of NPS, combined so that NPS = promoters − detractors stays
 * possible), the same on the scale's 0..1 position for scale means (the most spread a mean on a
 * bounded scale can have), and Student's t for TTR.
 */
export function judgedInterval(metric: Metric, row: JudgedRow): { low: number; high: number } | null {
  // a single answer has no finite interval: then there is nothing sure to say
  if (row.value === null || row.n === 0 || row.low === null || row.high === null) return null;
  const exact = exactInterval(metric, row);
  if (!exact) return { low: row.low, high: row.high };
  return { low: round(Math.min(row.low, exact.low)), high: round(Math.max(row.high, exact.high)) };
}

function exactInterval(metric: Metric, row: JudgedRow): { low: number; high: number } | null {
  const n = row.n;
  switch (metric) {
    case 'nps': {
      const promoters = numberDetail(row, 'promoters');
      const detractors = numberDetail(row, 'detractors');
      if (promoters === null || detractors === null) return null;
      const p = exactShareBounds(promoters, n);
      const d = exactShareBounds(detractors, n);
      // NPS = p − d with p + d ≤ 1: the highest it can be is with the fewest detractors and as many promoters as the rest allows
      const high = Math.min(p.high, 1 - d.low) - d.low;
      const low = p.low - Math.min(d.high, 1 - p.low);
      return { low: low * 100, high: high * 100 };
    }
    case 'csat': {
      const satisfied = numberDetail(row, 'satisfied');
      if (satisfied === null) return null;
      const share = exactShareBounds(satisfied, n);
      return { low: share.low * 100, high: share.high * 100 };
    }
    case 'ces':
    case 'review': {
      const [bottom, top] =
        metric === 'review' ? [1, 5] : row.scale && row.scale !== 'yes-no' ? scaleRange(row.scale as Exclude<Scale, 'yes-no'>) : [null, null];
      if (bottom === null || top === null) return null;
      const position = (row.value! - bottom) / (top - bottom);
      const share = exactShareBounds(position * n, n);
      return { low: bottom + share.low * (top - bottom), high: bottom + share.high * (top - bottom) };
    }
    case 'ttr': {
      const sd = numberDetail(row, 'sd');
      if (sd === null || n < 2) return null;
      const half = (studentQuantile975(n - 1) * sd) / Math.sqrt(n);
      return { low: Math.max(0, row.value! - half), high: row.value! + half };
    }
  }
}

function numberDetail(row: JudgedRow, name: string): number | null {
  const value = row[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Whether the row's whole interval lies on the bad side of `reference` (the company's value):
 * below it for metrics where higher is better, above it for TTR.
 */
export function significantlyWorse(metric: Metric, row: JudgedRow, reference: number): boolean {
  const interval = judgedInterval(metric, row);
  if (!interval) return false;
  return METRIC_DEFINITIONS[metric].better === 'higher' ? interval.high < reference : interval.low > reference;
}

/** Whether the row's whole interval misses the target: entirely below its min, or entirely above its max. */
export function belowTarget(metric: Metric, row: JudgedRow, target: TargetBounds): boolean {
  const interval = judgedInterval(metric, row);
  if (!interval) return false;
  return (typeof target.min === 'number' && interval.high < target.min) || (typeof target.max === 'number' && interval.low > target.max);
}

/** Whether the row's whole interval meets the target again (a breach is over only when this is sure, too). */
export function meetsTarget(metric: Metric, row: JudgedRow, target: TargetBounds): boolean {
  const interval = judgedInterval(metric, row);
  if (!interval) return false;
  return (typeof target.min !== 'number' || interval.low >= target.min) && (typeof target.max !== 'number' || interval.high <= target.max);
}

/**
 * How far the interval's favourable bound is from the reference, on a common footing so that
 * metrics can be ranked together: NPS points / 200, percent / 100, a scale mean by its scale's
 * range, TTR hours by the reference itself. Positive when the whole interval is on the bad side.
 */
export function attentionGap(metric: Metric, row: JudgedRow, reference: number): number | null {
  const interval = judgedInterval(metric, row);
  if (!interval) return null;
  const gap = METRIC_DEFINITIONS[metric].better === 'higher' ? reference - interval.high : interval.low - reference;
  return gap / gapScale(metric, row, reference);
}

function gapScale(metric: Metric, row: JudgedRow, reference: number): number {
  switch (METRIC_DEFINITIONS[metric].unit) {
    case 'points':
      return 200;
    case 'percent':
      return 100;
    case 'scale-mean': {
      if (metric === 'review') return 4;
      if (!row.scale || row.scale === 'yes-no') return 1;
      const [bottom, top] = scaleRange(row.scale as Exclude<Scale, 'yes-no'>);
      return top - bottom;
    }
    case 'hours':
      return Math.max(reference, 1e-9);
  }
}

/** A trend is up or down (the value rose or fell) only when the test on the two windows says so (p < 0.05). */
export type TrendSignificance = 'up' | 'down' | 'no-clear-change';

/**
 * Is the change from `previous` to `current` (two windows of equal length) more than noise?
 * CSAT: a two-proportion test with the pooled share. NPS: the difference of the two NPS over its
 * standard error from the multinomial variance (p + d − (p − d)²)(1/n₁ + 1/n₂) of the pooled
 * promoter and detractor shares (NPS is the mean of answers coded +1, 0, −1). Both statistics are
 * read against Student's t with n₁ + n₂ − 2 degrees of freedom: the normal for large samples,
 * more careful for a handful of answers (3 detractors against 3 promoters is not yet a change).
 * Means (CES, review, TTR): Welch's t from each window's mean, sd and n. p < 0.05 says 'up' or
 * 'down', the direction of the value; whether that is better is the metric's `better` (the
 * trend's `direction`).
 */
export function trendSignificance(metric: Metric, current: JudgedRow, previous: JudgedRow): TrendSignificance {
  const p = pValue(metric, current, previous);
  if (p === null || p >= 0.05 || current.value === null || previous.value === null || current.value === previous.value) return 'no-clear-change';
  return current.value > previous.value ? 'up' : 'down';
}

function pValue(metric: Metric, a: JudgedRow, b: JudgedRow): number | null {
  if (a.n < 2 || b.n < 2 || a.value === null || b.value === null) return null;
  const df = a.n + b.n - 2;
  const spread = 1 / a.n + 1 / b.n;
  switch (metric) {
    case 'csat': {
      const x1 = numberDetail(a, 'satisfied');
      const x2 = numberDetail(b, 'satisfied');
      if (x1 === null || x2 === null) return null;
      const pooled = (x1 + x2) / (a.n + b.n);
      const se = Math.sqrt(pooled * (1 - pooled) * spread);
      return se === 0 ? null : studentTwoSided((x1 / a.n - x2 / b.n) / se, df);
    }
    case 'nps': {
      const counts = [a, b].map((row) => [numberDetail(row, 'promoters'), numberDetail(row, 'detractors')]);
      if (counts.flat().some((c) => c === null)) return null;
      const [[p1, d1], [p2, d2]] = counts as number[][];
      const promoters = (p1 + p2) / (a.n + b.n);
      const detractors = (d1 + d2) / (a.n + b.n);
      const se = Math.sqrt((promoters + detractors - (promoters - detractors) ** 2) * spread);
      return se === 0 ? null : studentTwoSided(((p1 - d1) / a.n - (p2 - d2) / b.n) / se, df);
    }
    default: {
      const sa = numberDetail(a, 'sd');
      const sb = numberDetail(b, 'sd');
      if (sa === null || sb === null) return null;
      const va = (sa * sa) / a.n;
      const vb = (sb * sb) / b.n;
      if (va + vb === 0) return null;
      const welchDf = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
      return studentTwoSided((a.value - b.value) / Math.sqrt(va + vb), welchDf);
    }
  }
}
