import { PORTRAIT_FIELDS, type PortraitField } from '@journeyline/journey';

export { PORTRAIT_FIELDS, type PortraitField };

/** The place of an answer: what a cut groups by (one or two of them) and filters on. */
export const PLACE_DIMENSIONS = ['touchpoint', 'channel', 'stage'] as const;
export type PlaceDimension = (typeof PLACE_DIMENSIONS)[number];

/** `by=a,b`: any two different place dimensions, in either order (the order of the row's key). */
export const PLACE_PAIRS = PLACE_DIMENSIONS.flatMap((a) => PLACE_DIMENSIONS.filter((b) => b !== a).map((b) => `${a},${b}`));
export type PlacePair = { [A in PlaceDimension]: `${A},${Exclude<PlaceDimension, A>}` }[PlaceDimension];

/** The column of each portrait field in the cut tables. */
export const PORTRAIT_COLUMNS: Readonly<Record<PortraitField, string>> = {
  segment: 'segment',
  region: 'region',
  ageBand: 'age_band',
  gender: 'gender',
  acquisitionChannel: 'acquisition_channel',
};

/** Between the parts of a two-dimension row's key (`hotline|use`); `keys` names each part. */
export const KEY_SEPARATOR = '|';

/**
 * A cut of the metrics: grouped by none, one or two place dimensions, filtered by place values and
 * by at most one portrait field (the buckets keep one portrait field per row: see cx-cuts.projection.ts).
 */
export interface MetricCut {
  by: PlaceDimension[];
  place: Partial<Record<PlaceDimension, string>>;
  portrait?: { field: PortraitField; value: string };
}

/** The dimensions of `by` (`touchpoint`, `touchpoint,stage`, `all`) when a cut can answer it, else null. */
export function cutDimensions(by: string): PlaceDimension[] | null {
  if (by === 'all') return [];
  const parts = by.split(',');
  if (parts.length > 2 || new Set(parts).size !== parts.length) return null;
  return parts.every((p) => (PLACE_DIMENSIONS as readonly string[]).includes(p)) ? (parts as PlaceDimension[]) : null;
}

/** True when `by` names two dimensions: only the cut tables can answer it. */
export function isPlacePair(by: string | undefined): by is PlacePair {
  return by !== undefined && PLACE_PAIRS.includes(by);
}
