/**
 * One comment left with feedback at a touchpoint, as `GET /api/v1/touchpoints/:touchpoint/comments`
 * answers it. Imports nothing, so the dashboard can import this type as it is (a type-only import
 * that its bundler erases) instead of keeping a copy that drifts from the API.
 */
export interface TouchpointComment {
  eventId: string;
  customerId: string;
  customerName: string | null;
  segment: string | null;
  occurredAt: string;
  kind: string;
  /** Null for a comment, which has no score (nor scale). */
  score: number | boolean | null;
  scale: string | null;
  stage: string | null;
  channel: string | null;
  comment: string;
}
