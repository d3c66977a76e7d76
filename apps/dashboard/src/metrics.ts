import type { Formats } from './format';
import type { Translate } from './i18n';
import type { Metric, SeriesPoint } from './types';

/** How each metric reads: its direction, its unit, and the colour of an answer. */
export function higherIsBetter(metric: Metric): boolean {
  return metric !== 'ttr';
}

export function formatMetric(metric: Metric, value: number | null | undefined, f: Formats, t: Translate, scale?: string | null): string {
  if (value === null || value === undefined) return '—';
  switch (metric) {
    case 'nps':
      return f.signed(value, 1);
    case 'csat':
      return f.percent(value, 1);
    case 'ces':
      return scale ? `${f.number(value, 2)} / ${scale.split('-')[1] ?? ''}` : f.number(value, 2);
    case 'ttr':
      return t('hours', { value: f.number(value, 1) });
  }
}

/** The number alone (no sign or unit): for chart axes and labels. */
export function metricDigits(metric: Metric): number {
  return metric === 'ces' ? 2 : 1;
}

/** CSAT and CES come one row per scale: the overview shows the scale most answers used. */
export function mainRow<T extends { n: number }>(rows: readonly T[]): { row: T | undefined; others: number } {
  const row = [...rows].sort((a, b) => b.n - a.n)[0];
  return { row, others: Math.max(0, rows.length - 1) };
}

export type ScoreClass = 'good' | 'neutral' | 'bad';

export function scoreClass(kind: string, score: number | boolean, scale: string): ScoreClass {
  if (typeof score === 'boolean') return score ? 'good' : 'bad';
  if (kind === 'nps' || scale === '0-10') return score >= 9 ? 'good' : score >= 7 ? 'neutral' : 'bad';
  const top = Number(scale.split('-')[1] ?? 5);
  if (score >= top - 1) return 'good';
  if (score <= 2) return 'bad';
  return 'neutral';
}

export const SCORE_COLOURS: Record<ScoreClass, string> = { good: '#15803d', neutral: '#d97706', bad: '#dc2626' };

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

/**
 * Daily points for up to 31 days; longer periods are summed by week or by 30 days (from the
 * period's first day) from the counts each day carries, never by averaging daily values.
 */
export function trendPoints(metric: Metric, points: readonly SeriesPoint[], fromDay: string, days: number, minSample: number, scale?: string): { points: TrendPoint[]; step: number } {
  const usable = points.filter((p) => !scale || !p.scale || p.scale === scale);
  const step = bucketDays(days);
  if (step === 1) return { points: usable.map((p) => ({ day: p.day, value: p.value, n: p.n, meaningful: p.n >= minSample })), step };
  const start = Date.parse(`${fromDay}T00:00:00Z`);
  const weeks = new Map<string, SeriesPoint[]>();
  for (const p of usable) {
    const index = Math.floor((Date.parse(`${p.day}T00:00:00Z`) - start) / (step * 86_400_000));
    const day = new Date(start + index * step * 86_400_000).toISOString().slice(0, 10);
    const list = weeks.get(day) ?? [];
    list.push(p);
    weeks.set(day, list);
  }
  return {
    step,
    points: [...weeks.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, list]) => {
        const n = list.reduce((sum, p) => sum + p.n, 0);
        return { day, n, value: n ? combine(metric, list, n) : null, meaningful: n >= minSample };
      }),
  };
}

function combine(metric: Metric, list: readonly SeriesPoint[], n: number): number | null {
  const sum = (pick: (p: SeriesPoint) => number) => list.reduce((total, p) => total + pick(p), 0);
  switch (metric) {
    case 'nps':
      return round(((sum((p) => Number(p.promoters ?? 0)) - sum((p) => Number(p.detractors ?? 0))) / n) * 100);
    case 'csat':
      return round((sum((p) => Number(p.satisfied ?? 0)) / n) * 100);
    case 'ces':
    case 'ttr':
      return round(sum((p) => (p.value ?? 0) * p.n) / n);
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
