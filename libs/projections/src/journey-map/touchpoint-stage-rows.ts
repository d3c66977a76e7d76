import { STAGES, type Stage } from '@journeyline/journey';
import type { MetricRow } from '../cx-metrics/metric-row';
import type { TouchpointVisits } from './touchpoint-activity.queries';

export interface TouchpointStageRow {
  touchpoint: string;
  scale: string | null;
  channel: string | null;
  homeStage: Stage | null;
  visits: Partial<Record<Stage, number>>;
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  meaningful: boolean;
}

/**
 * One row per touchpoint (and scale): its metric for the window (all stages together) beside the
 * stages it is visited in. Touchpoints visited but without answers in the window come with a
 * null value, so the heatmap shows them as empty rather than leaving them out.
 */
export function touchpointStageRows(metricRows: readonly MetricRow[], visits: Map<string, TouchpointVisits>): TouchpointStageRow[] {
  const rows: TouchpointStageRow[] = metricRows.map((row) => {
    const seen = visits.get(row.key);
    return {
      touchpoint: row.key,
      scale: row.scale ?? null,
      channel: seen?.channel ?? null,
      homeStage: seen?.homeStage ?? null,
      visits: seen?.byStage ?? {},
      value: row.value,
      n: row.n,
      low: row.low,
      high: row.high,
      meaningful: row.meaningful,
    };
  });
  const answered = new Set(metricRows.map((row) => row.key));
  for (const [touchpoint, seen] of visits) {
    if (answered.has(touchpoint)) continue;
    rows.push({
      touchpoint,
      scale: null,
      channel: seen.channel,
      homeStage: seen.homeStage,
      visits: seen.byStage,
      value: null,
      n: 0,
      low: null,
      high: null,
      meaningful: false,
    });
  }
  const order = (stage: Stage | null) => (stage === null ? STAGES.length : STAGES.indexOf(stage));
  return rows.sort(
    (a, b) => order(a.homeStage) - order(b.homeStage) || a.touchpoint.localeCompare(b.touchpoint) || (a.scale ?? '').localeCompare(b.scale ?? ''),
  );
}
