import type { Formats } from './format';
import type { Translate } from './i18n';
import type { DefinitionsAnswer, Metric, MetricDefinitionView, SeriesPoint } from './types';

/**
 * How each metric reads: the domain's definitions (libs/journey metric-definitions.ts), as the
 * server sends them from GET /api/v1/metrics/definitions; the app loads them before any page.
 */
let definitions: readonly MetricDefinitionView[] = [];

export function useMetricDefinitions(answer: DefinitionsAnswer | undefined): boolean {
  if (answer) definitions = answer.metrics;
  return definitions.length > 0;
}

/** The metrics, in the server's order. */
export function metricList(): Metric[] {
  return definitions.map((d) => d.metric);
}

export function isKnownMetric(value: unknown): value is Metric {
  return definitions.some((d) => d.metric === value);
}

export function definitionOf(metric: Metric): MetricDefinitionView {
  const definition = definitions.find((d) => d.metric === metric);
  if (!definition) throw new Error(`no definition for the metric ${metric}: loadMetricDefinitions() first`);
  return definition;
}

export function higherIsBetter(metric: Metric): boolean {
  return definitionOf(metric).better === 'higher';
}

/** A value in its unit: NPS points signed, a percent, a mean over its scale's top, hours. */
export function formatMetric(metric: Metric, value: number | null | undefined, f: Formats, t: Translate, scale?: string | null): string {
  if (value === null || value === undefined) return '—';
  const { unit, digits } = definitionOf(metric);
  switch (unit) {
    case 'points':
      return f.signed(value, digits);
    case 'percent':
      return f.percent(value, digits);
    case 'scale-mean':
      return scale ? `${f.number(value, digits)} / ${scale.split('-')[1] ?? ''}` : f.number(value, digits);
    case 'hours':
      return t('hours', { value: f.number(value, digits) });
  }
}

/** The number alone (no sign or unit): for chart axes and labels. */
export function metricDigits(metric: Metric): number {
  return definitionOf(metric).digits;
}

/** CSAT and CES come one row per scale: the overview shows the scale most answers used. */
export function mainRow<T extends { n: number }>(rows: readonly T[]): { row: T | undefined; others: number } {
  const row = [...rows].sort((a, b) => b.n - a.n)[0];
  return { row, others: Math.max(0, rows.length - 1) };
}

export type ScoreClass = 'good' | 'neutral' | 'bad' | 'none';

export function scoreClass(kind: string, score: number | boolean | null | undefined, scale: string | null | undefined): ScoreClass {
  // a comment has no score
  if (score === null || score === undefined || !scale) return 'none';
  if (typeof score === 'boolean') return score ? 'good' : 'bad';
  if (kind === 'nps' || scale === '0-10') return score >= 9 ? 'good' : score >= 7 ? 'neutral' : 'bad';
  const top = Number(scale.split('-')[1] ?? 5);
  if (score >= top - 1) return 'good';
  if (score <= 2) return 'bad';
  return 'neutral';
}

export const SCORE_COLOURS: Record<ScoreClass, string> = { good: '#15803d', neutral: '#d97706', bad: '#dc2626', none: '#64748b' };

/** A score as shown: stars for a review, a dash for a comment (which has none). */
export function scoreText(kind: string, score: number | boolean | null | undefined): string {
  if (score === null || score === undefined) return '—';
  return kind === 'review' ? `${String(score)}★` : String(score);
}

export interface TrendPoint {
  day: string;
  value: number | null;
  n: number;
  meaningful: boolean;
}

/** Days per point of a trend: a day up to 31 days, a week up to 180, else 30 days. */
export function bucketDays(days: number): number {
  return days <= 31 ? 1 : days <= 180 ? 7 : 30;
}

/** The points of a trend as the server summed them (per day, week or 30 days: see bucketDays), for one scale. */
export function trendPoints(points: readonly SeriesPoint[], minSample: number, scale?: string): TrendPoint[] {
  return points.filter((p) => !scale || !p.scale || p.scale === scale).map((p) => ({ day: p.day, value: p.value, n: p.n, meaningful: p.n >= minSample }));
}

export type Band = 'bad' | 'neutral' | 'good';

/**
 * A value's colour band from the metric's fixed thresholds (its definition's `bands`), the same
 * whatever the period; a target, when the touchpoint has one, decides instead (met: good, missed: bad).
 */
export function bandOf(metric: Metric, value: number, scale?: string | null, target?: { min?: number; max?: number } | null): Band {
  if (target && (target.min !== undefined || target.max !== undefined)) {
    return (target.min === undefined || value >= target.min) && (target.max === undefined || value <= target.max) ? 'good' : 'bad';
  }
  const { bands, better } = definitionOf(metric);
  let at = value;
  if (bands.on === 'scale') {
    const [bottom, top] = (scale ?? '').split('-').map(Number);
    if (!Number.isFinite(bottom) || !Number.isFinite(top) || top === bottom) return 'neutral';
    at = (value - bottom) / (top - bottom);
  }
  if (better === 'higher') return at < bands.bad ? 'bad' : at >= bands.good ? 'good' : 'neutral';
  return at > bands.bad ? 'bad' : at <= bands.good ? 'good' : 'neutral';
}

export const BAND_COLOURS: Record<Band, string> = { bad: '#dc2626', neutral: '#fbbf24', good: '#16a34a' };
/** Paler, for cells with fewer answers than the minimum sample. */
export const PALE_BAND_COLOURS: Record<Band, string> = { bad: '#fca5a5', neutral: '#fde68a', good: '#bbf7d0' };
