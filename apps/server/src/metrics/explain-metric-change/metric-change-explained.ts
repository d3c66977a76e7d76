import type { ChangeAnswer, DayWindow, ExplainedChange, ExplainGrouping, Metric, PlaceDimension, ReplayStatement } from '@journeyline/projections';
import type { GroupChange, TrendDirection } from '@journeyline/journey';

/** The answer of `GET /api/v1/metrics/explain` (the dashboard reads it as `ExplainAnswer`). */
export interface MetricChangeExplained extends Omit<ExplainedChange, 'groups' | 'focus'> {
  metric: Metric;
  by: ExplainGrouping;
  filters: Partial<Record<PlaceDimension, string>>;
  window: DayWindow;
  previousWindow: DayWindow;
  /** The version of the metric parameters both windows are computed under. */
  definitions: { version: number };
  /** Given `asOf`: the moment answered and how (the read models replayed up to it). */
  asOf?: ReplayStatement;
  /** Whether the change is for the better (the metric's definition says which way is good). */
  direction: TrendDirection;
  groups: (GroupChange & { by: ExplainGrouping })[];
  /** The group whose answers are listed, and whether they are its worst (a change for the worse) or its best; null when nothing changed. */
  focus: { by: ExplainGrouping; key: string; answers: 'worst' | 'best' } | null;
  answers: (ChangeAnswer & { links: { journey: string; comments: string; dashboard: string } })[];
}
