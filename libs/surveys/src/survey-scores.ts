import { isScoreOnScale, type Scale, type Score } from '@journeyline/journey';

/** What a score on `scale` must be, for a refusal that says how to fix it. */
export function scoreExpected(scale: Scale): string {
  return scale === 'yes-no' ? 'true or false' : `a whole number from ${scale.replace('-', ' to ')}`;
}

/** A score as JSON gives it (a number, or true/false on yes-no), or null when it is not one on `scale`. */
export function scoreOnScale(scale: Scale, value: unknown): Score | null {
  return (typeof value === 'number' || typeof value === 'boolean') && isScoreOnScale(value, scale) ? value : null;
}

/** A score as a form or a URL gives it (`9`, `true`), or null when it is not one on `scale`. */
export function scoreFromText(scale: Scale, text: unknown): Score | null {
  if (typeof text !== 'string') return null;
  const trimmed = text.trim();
  if (scale === 'yes-no') return trimmed === 'true' ? true : trimmed === 'false' ? false : null;
  return /^\d{1,2}$/.test(trimmed) ? scoreOnScale(scale, Number(trimmed)) : null;
}
