import { round, trendDirection, trendSignificance, type Metric, type TrendSignificance } from '@journeyline/journey';
import type { MetricRow } from '@journeyline/projections';

/** How a row compares with the previous window of equal length. */
export interface MetricTrend {
  previousValue: number | null;
  previousN: number;
  delta: number | null;
  direction: ReturnType<typeof trendDirection>;
  /** 'up' or 'down' only when a test on the two windows says the change is real (p < 0.05); see trendSignificance. */
  significance: TrendSignificance;
}

export type RowWithTrend = MetricRow & { trend: MetricTrend };

/** Each row with its change against the same key (and scale) in `previous`, judged by the metric's definition. */
export function withTrends(metric: Metric, rows: readonly MetricRow[], previous: readonly MetricRow[]): RowWithTrend[] {
  const before = new Map(previous.map((row) => [`${row.key}\u0000${row.scale ?? ''}`, row]));
  return rows.map((row) => {
    const past = before.get(`${row.key}\u0000${row.scale ?? ''}`);
    const delta = past?.value != null && row.value != null ? round(row.value - past.value) : null;
    const significance = past ? trendSignificance(metric, row, past) : 'no-clear-change';
    return { ...row, trend: { previousValue: past?.value ?? null, previousN: past?.n ?? 0, delta, direction: trendDirection(metric, delta), significance } };
  });
}
