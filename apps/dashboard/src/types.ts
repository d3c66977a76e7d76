/** The shapes of the API answers the dashboard reads; test/dashboard-api.contract.ts checks at compile time that the server's answers fit them. */
import type { Metric, MetricDefinitionView, TrendDirection } from '../../../libs/journey/src/metrics/metric-definitions';
import type { TouchpointComment } from '../../../libs/projections/src/journey-map/touchpoint-comment';
import type { Stage } from './i18n';

/** The metrics as the domain defines them: the type from libs/journey, the values from GET /api/v1/metrics/definitions. */
export type { Metric, MetricDefinitionView };

export interface DefinitionsAnswer {
  metrics: MetricDefinitionView[];
}

export interface DayWindow {
  fromDay: string;
  toDay: string;
  days: number;
  timeZone: string;
  from: string;
  to: string;
}

export interface MetricRow {
  key: string;
  scale?: string;
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  meaningful: boolean;
  [detail: string]: unknown;
}

export interface MetricsAnswer {
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
}

export interface WorstAnswer extends MetricsAnswer {
  rankedBy: 'high' | 'low';
  rows: (MetricRow & { trend: Trend })[];
}

export interface SeriesPoint extends MetricRow {
  day: string;
}

export interface SeriesAnswer {
  metric: Metric;
  window: DayWindow;
  /** Days per point. */
  step: number;
  points: SeriesPoint[];
}

export interface DistributionAnswer {
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

export interface TouchpointStagesAnswer {
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

export interface CustomerListItem {
  customerId: string;
  currentStage: Stage | null;
  currentStageSince: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  segment: string | null;
  region: string | null;
  acquisitionChannel: string | null;
  name: string | null;
  churned: boolean;
  churnRisk: boolean;
  churnRiskRules: string[];
  openTickets: number;
  lastNps: number | null;
  eventCount: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface StageStay {
  stage: Stage;
  enteredAt: string;
  leftAt: string | null;
  durationMs: number;
  direction: 'forward' | 'backward' | 'start';
  touchpoints: { touchpoint: string; channel: string; at: string; eventId: string }[];
}

export interface FeedbackEntry {
  eventId: string;
  at: string;
  kind: string;
  score: number | boolean;
  scale: string;
  touchpoint?: string;
  channel?: string;
  stage?: Stage;
  comment?: string;
}

export interface TicketEntry {
  ticketId: string;
  openedAt: string;
  resolvedAt: string | null;
  resolutionMs: number | null;
  status: 'open' | 'resolved';
  touchpoint?: string;
  channel?: string;
  subject?: string;
}

export interface Journey {
  customerId: string;
  currentStage: Stage | null;
  stages: StageStay[];
  feedback: FeedbackEntry[];
  tickets: TicketEntry[];
  purchases: { eventId: string; at: string; orderId: string; amount: number; currency: string }[];
  profile: Partial<Record<'segment' | 'region' | 'ageBand' | 'gender' | 'acquisitionChannel' | 'name' | 'email' | 'phone', string>>;
  churn: { churned: boolean; churnedAt: string | null; reason: string | null; reactivatedAt: string | null };
  churnRisks: { episodeId: string; rule: string; reason: string; evidence: string[]; flaggedAt: string; clearedAt: string | null }[];
  firstSeenAt: string;
  lastSeenAt: string;
  eventCount: number;
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
  customers: number;
}

export interface ChurnRiskAnswer extends Page<{
  customerId: string;
  flags: { rule: string; reason: string; flaggedAt: string; evidence: string[]; episodeId: string; label: string | null }[];
}> {
  rules: ChurnRule[];
}

export interface Health {
  status: string;
  timeZone: string;
}
