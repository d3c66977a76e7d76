/**
 * One answer behind a metric's change, as `GET /api/v1/metrics/explain` lists it. Imports nothing,
 * so the dashboard can import this type as it is (type only, erased by its bundler).
 */
export interface ChangeAnswer {
  eventId: string;
  customerId: string;
  occurredAt: string;
  kind: string;
  score: number | boolean;
  scale: string;
  touchpoint: string;
  channel: string | null;
  stage: string | null;
  comment: string;
}

/** What a change is split by: a place dimension of the answers, or the customers' segment when they answered. */
export const EXPLAIN_GROUPINGS = ['channel', 'stage', 'segment'] as const;
export type ExplainGrouping = (typeof EXPLAIN_GROUPINGS)[number];
