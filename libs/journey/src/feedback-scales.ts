/**
 * Feedback kinds and the scales each may use. A response keeps its scale: scores of different
 * scales are never averaged together.
 */
export const FEEDBACK_KINDS = ['nps', 'csat', 'ces', 'review', 'comment'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
/** A comment (a message, a social mention) has no score; every other kind has one. */
export type ScoredFeedbackKind = Exclude<FeedbackKind, 'comment'>;

export const SCALES = ['0-10', '1-5', '1-7', '1-10', 'yes-no'] as const;
export type Scale = (typeof SCALES)[number];

export const SCALES_BY_KIND: Record<FeedbackKind, readonly Scale[]> = {
  nps: ['0-10'],
  csat: ['1-5', '1-7', '1-10', 'yes-no'],
  ces: ['1-5', '1-7'],
  /** A star rating: 1-5 stars. */
  review: ['1-5'],
  comment: [],
};

/** The scale a kind is on when the sender names none: NPS and reviews have only one. */
export const DEFAULT_SCALE_OF_KIND: Partial<Record<FeedbackKind, Scale>> = { nps: '0-10', review: '1-5' };

export type Score = number | boolean;

const NUMERIC_RANGE: Record<Exclude<Scale, 'yes-no'>, [number, number]> = {
  '0-10': [0, 10],
  '1-5': [1, 5],
  '1-7': [1, 7],
  '1-10': [1, 10],
};

export function scaleRange(scale: Exclude<Scale, 'yes-no'>): [number, number] {
  return NUMERIC_RANGE[scale];
}

/** Whether `score` is a valid answer on `scale`: a whole number in range, or a yes/no boolean. */
export function isScoreOnScale(score: Score, scale: Scale): boolean {
  if (scale === 'yes-no') return typeof score === 'boolean';
  if (typeof score !== 'number' || !Number.isInteger(score)) return false;
  const [low, high] = NUMERIC_RANGE[scale];
  return score >= low && score <= high;
}

/** Top-2-box: 4-5 of 5, 6-7 of 7, 9-10 of 10 (and 0-10), yes. Satisfied (CSAT) or easy (CES). */
export function isTopTwoBox(score: Score, scale: Scale): boolean {
  if (scale === 'yes-no') return score === true;
  const [, high] = NUMERIC_RANGE[scale];
  return (score as number) >= high - 1;
}

/** Bottom-2-box on a 1-based scale: the "hard" CES answers (1-2). */
export function isBottomTwoBox(score: Score, scale: Scale): boolean {
  if (scale === 'yes-no') return score === false;
  const [low] = NUMERIC_RANGE[scale];
  return (score as number) <= low + 1;
}

export type NpsClass = 'promoter' | 'passive' | 'detractor';

/** Promoters 9-10, passives 7-8, detractors 0-6. */
export function npsClass(score: number): NpsClass {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}
