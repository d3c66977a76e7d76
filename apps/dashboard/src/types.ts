/** The shapes of the API answers the dashboard reads; test/dashboard-api.contract.ts checks at compile time that the server's answers fit them. */
import type { Metric, MetricDefinitionView, TrendDirection } from '@journeyline/journey/metrics/metric-definitions';
import type { TrendSignificance } from '@journeyline/journey/metrics/significance';
import type { AttentionRow } from '@journeyline/journey/metrics/significance-attention';
import type { Journey } from '@journeyline/journey/journey-view';
import type { MetricRow } from '@journeyline/projections/cx-metrics/metric-row';
import type { DayWindow } from '@journeyline/projections/cx-metrics/day-window';
import type { CustomerListItem } from '@journeyline/projections/journey-map/customer-list-item';
import type { TouchpointComment } from '@journeyline/projections/journey-map/touchpoint-comment';
import type { TouchpointStageRow } from '@journeyline/projections/journey-map/touchpoint-stage-rows';
import type { SurveyResponseRate } from '@journeyline/projections/survey-responses/survey-responses.queries';
import type { ChangeAnswer, ExplainGrouping } from '@journeyline/projections/cx-cuts/change-answer';
import type { GroupChange } from '@journeyline/journey/metrics/explain';
import type { Stage } from './i18n';

/**
 * The API's own types, imported (type only, erased from the bundle) from the libs that answer
 * with them; the metrics' values come from GET /api/v1/metrics/definitions.
 */
export type { CustomerListItem, DayWindow, Journey, Metric, MetricDefinitionView, MetricRow, SurveyResponseRate, TouchpointStageRow };

export interface DefinitionsAnswer {
  metrics: MetricDefinitionView[];
}

/** Every metric answer states the version of the metric parameters it was computed under (GET /api/v1/definitions/metrics). */
export interface DefinitionsStated {
  definitions: { version: number };
}

export interface MetricsAnswer extends DefinitionsStated {
  metric: Metric;
  by: string;
  window: DayWindow;
  minSample: number;
  rows: MetricRow[];
}

/** `/api/v1/metrics?compare=previous`: each row with its trend against the window before. */
export interface ComparedMetricsAnswer extends MetricsAnswer {
  rows: (MetricRow & { trend: Trend })[];
}

export interface Trend {
  previousValue: number | null;
  previousN: number;
  delta: number | null;
  direction: TrendDirection;
  /** 'up' / 'down' only when a test on the two periods says the change is real; else 'no-clear-change'. */
  significance: TrendSignificance;
}

/** `/api/v1/touchpoints/attention`: what needs attention, across metrics, most urgent first. */
export interface AttentionAnswer extends DefinitionsStated {
  window: DayWindow;
  rows: (AttentionRow & { commentsUrl: string })[];
}

export interface WorstAnswer extends MetricsAnswer {
  rankedBy: 'high' | 'low';
  rows: (MetricRow & { trend: Trend })[];
}

export interface SeriesPoint extends MetricRow {
  day: string;
}

export interface SeriesAnswer extends DefinitionsStated {
  metric: Metric;
  window: DayWindow;
  /** Days per point. */
  step: number;
  points: SeriesPoint[];
}

export interface DistributionAnswer extends DefinitionsStated {
  metric: Metric;
  window: DayWindow;
  counts: { scale: string; score: number | boolean; count: number }[];
}

export interface RetentionAnswer {
  from: string;
  to: string;
  startCustomers: number;
  newCustomers: number;
  endCustomers: number;
  lostCustomers: number;
  retentionRate: number | null;
  churnRate: number | null;
}

export interface TouchpointStagesAnswer extends DefinitionsStated {
  metric: Metric;
  window: DayWindow;
  minSample: number;
  rows: TouchpointStageRow[];
}

/** The API's own type, imported (type only) from the projection that serves it. */
export type CommentItem = TouchpointComment;

export interface CommentsAnswer {
  touchpoint: string;
  items: CommentItem[];
  complete: boolean;
}

/** `/api/v1/surveys/response-rates`: every survey's links sent in the window and how many were answered. */
export interface ResponseRatesAnswer {
  window: { from: string; to: string };
  items: SurveyResponseRate[];
}

/** `/api/v1/metrics/explain`: why the metric moved against the period before, split into mix and rate per group, with the answers behind it. */
export interface ExplainAnswer extends DefinitionsStated {
  metric: Metric;
  by: ExplainGrouping;
  window: DayWindow;
  previousWindow: DayWindow;
  scale: string | null;
  current: { value: number | null; n: number; low: number | null; high: number | null };
  previous: { value: number | null; n: number; low: number | null; high: number | null };
  change: number | null;
  mix: number | null;
  rate: number | null;
  direction: TrendDirection;
  groups: (GroupChange & { by: ExplainGrouping })[];
  focus: { by: ExplainGrouping; key: string; answers: 'worst' | 'best' } | null;
  answers: (ChangeAnswer & { links: { journey: string; comments: string; dashboard: string } })[];
}

export interface FunnelStage {
  stage: Stage;
  customers: number;
  conversion: number | null;
  ofCohort: number | null;
  medianHoursFromPrevious: number | null;
}

export interface FunnelAnswer {
  window: { from: string; to: string; timeZone: string };
  split: string | null;
  groups: { group: string; cohort: number; stages: FunnelStage[] }[];
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface CustomerEvent {
  position: number;
  revision: number;
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

export interface ChurnRule {
  id: string;
  kind: string;
  label: string | null;
  /** The rule's weight in a flag's priority. */
  severity: number;
  customers: number;
}

/** What an evidence event was, in a line of the asked language ("NPS 3 at hotline on 2026-11-04"); nulls when the event is gone. */
export interface ChurnRiskEvidence {
  eventId: string;
  type: string | null;
  occurredAt: string | null;
  text: string | null;
}

export interface ChurnRiskFlag {
  rule: string;
  reason: string;
  /** The rule's label in the asked language. */
  label: string | null;
  flaggedAt: string;
  evidence: string[];
  evidenceEvents: ChurnRiskEvidence[];
  episodeId: string;
}

/** A flagged customer: priority = value (what they bought over the last 365 days, VND) × the highest severity of their open flags. */
export interface ChurnRiskItem {
  customerId: string;
  /** Null when none was given, or erased. */
  name: string | null;
  value: number;
  severity: number;
  priority: number;
  latestFlaggedAt: string;
  flags: ChurnRiskFlag[];
}

/** `sort=` of `/api/v1/churn-risks` (`-`: descending); `format=csv` answers the whole list as a CSV download. */
export type ChurnRiskSort = 'priority' | '-priority' | 'flaggedAt' | '-flaggedAt' | 'customerId' | '-customerId';

export interface ChurnRiskAnswer extends Page<ChurnRiskItem> {
  rules: ChurnRule[];
}

export interface Health {
  status: string;
  timeZone: string;
}
