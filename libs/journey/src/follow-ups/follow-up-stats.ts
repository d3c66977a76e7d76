import { ANSWER_REPLACED_OUTCOME, FOLLOW_UP_PROCESS_ACTOR } from './follow-up-events';

/**
 * How well the loop is closed, over the follow-ups opened in a window:
 *
 * - `followUpRate`: resolved / opened, in percent. Follow-ups withdrawn because the customer
 *   replaced their answer with a good one count in neither (nobody had to act); they are reported
 *   apart as `withdrawn`.
 * - time to follow up: opened (the answer) → resolved, in hours, median and p90 by nearest rank
 *   (the smallest time with at least that share of the resolved ones at or below it).
 * - next answer improved: of the resolved follow-ups whose customer answered again afterwards on
 *   the same kind and scale, the share whose next score is higher than the one that opened it;
 *   once at the same touchpoint, once anywhere. Counted per follow-up.
 */
export interface FollowUpFacts {
  openedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  outcome: string | null;
  score: number;
  /** The customer's next score of the same kind and scale after the resolution: at the same touchpoint, and anywhere. */
  nextScoreSameTouchpoint: number | null;
  nextScoreAnywhere: number | null;
}

export interface NextAnswerStats {
  answeredAgain: number;
  improved: number;
  /** improved / answeredAgain in percent; null when nobody answered again. */
  improvedRate: number | null;
}

export interface FollowUpStats {
  opened: number;
  resolved: number;
  withdrawn: number;
  followUpRate: number | null;
  medianHoursToFollowUp: number | null;
  p90HoursToFollowUp: number | null;
  nextAnswer: { sameTouchpoint: NextAnswerStats; anyTouchpoint: NextAnswerStats };
}

export function isWithdrawn(facts: Pick<FollowUpFacts, 'resolvedBy' | 'outcome'>): boolean {
  return facts.resolvedBy === FOLLOW_UP_PROCESS_ACTOR && facts.outcome === ANSWER_REPLACED_OUTCOME;
}

export function followUpStats(followUps: readonly FollowUpFacts[]): FollowUpStats {
  const withdrawn = followUps.filter(isWithdrawn);
  const counted = followUps.filter((f) => !isWithdrawn(f));
  const resolved = counted.filter((f) => f.resolvedAt !== null);
  const hours = resolved.map((f) => Math.max(0, Date.parse(f.resolvedAt!) - Date.parse(f.openedAt)) / 3_600_000).sort((a, b) => a - b);
  return {
    opened: counted.length,
    resolved: resolved.length,
    withdrawn: withdrawn.length,
    followUpRate: counted.length === 0 ? null : round((100 * resolved.length) / counted.length),
    medianHoursToFollowUp: nearestRank(hours, 0.5),
    p90HoursToFollowUp: nearestRank(hours, 0.9),
    nextAnswer: {
      sameTouchpoint: nextAnswer(resolved, (f) => f.nextScoreSameTouchpoint),
      anyTouchpoint: nextAnswer(resolved, (f) => f.nextScoreAnywhere),
    },
  };
}

function nextAnswer(resolved: readonly FollowUpFacts[], next: (f: FollowUpFacts) => number | null): NextAnswerStats {
  const again = resolved.filter((f) => next(f) !== null);
  const improved = again.filter((f) => next(f)! > f.score).length;
  return { answeredAgain: again.length, improved, improvedRate: again.length === 0 ? null : round((100 * improved) / again.length) };
}

function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
