import { isBottomTwoBox, npsClass } from '../feedback-scales';
import type { FeedbackData } from '../journey-events';
import type { FollowUpReason } from './follow-up-events';

/**
 * Which answers someone should call back about: a detractor (NPS 0-6), a very hard effort (CES in
 * the scale's lowest two boxes: 1-2 of 5 or of 7) and a 1-2 star review. Everything else, CSAT
 * included, opens nothing: CSAT answers are many and low ones are already in the metrics.
 */
export function followUpReasonOf(data: FeedbackData): FollowUpReason | null {
  if (data.kind === 'comment' || typeof data.score !== 'number') return null;
  if (data.kind === 'nps') return npsClass(data.score) === 'detractor' ? 'detractor' : null;
  if (data.kind === 'ces') return isBottomTwoBox(data.score, data.scale) ? 'hard-effort' : null;
  if (data.kind === 'review') return data.score <= 2 ? 'low-review' : null;
  return null;
}
