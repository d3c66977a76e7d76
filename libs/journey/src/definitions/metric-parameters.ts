import { isBottomTwoBox, isTopTwoBox, scaleRange, type Scale, type Score } from '../feedback-scales';
import type { Metric, MetricSums } from '../metrics/metric-definitions';

/**
 * What a metric answer depends on besides the answers themselves: which scores make an NPS
 * promoter or detractor, which CSAT scores are "satisfied" and which CES scores "easy" or "hard"
 * on each scale, the sample below which a row is not yet meaningful, and the time zone days are
 * counted in. Each set of them is a numbered version (see metric-definitions.ts), so an answer
 * can say which it used and be recomputed under another.
 *
 * Thresholds, not lists: the boxes of a scale are contiguous (the top boxes are "this score and
 * up"), so a lowest satisfied score says exactly which scores are satisfied.
 */
export const CSAT_THRESHOLD_SCALES = ['1-5', '1-7', '1-10'] as const;
export type CsatThresholdScale = (typeof CSAT_THRESHOLD_SCALES)[number];
export const CES_THRESHOLD_SCALES = ['1-5', '1-7'] as const;
export type CesThresholdScale = (typeof CES_THRESHOLD_SCALES)[number];

export interface ScoreClasses {
  /** Promoters score `promoterMin` or more, detractors `detractorMax` or less, passives between. */
  nps: { promoterMin: number; detractorMax: number };
  /** Satisfied: `satisfiedMin[scale]` or more (yes on a yes-no scale, always). */
  csat: { satisfiedMin: Record<CsatThresholdScale, number> };
  /** Easy: `easyMin[scale]` or more; hard: `hardMax[scale]` or less. */
  ces: { easyMin: Record<CesThresholdScale, number>; hardMax: Record<CesThresholdScale, number> };
}

export interface MetricParameters extends ScoreClasses {
  /** Answers below which a row says `meaningful: false`. */
  minSample: number;
  /** IANA zone of the day buckets and of bare dates. */
  timeZone: string;
}

/**
 * The classes the metrics read models fold with (the seed material's): promoters 9-10,
 * detractors 0-6, top-2-box satisfied and easy, bottom-2-box hard. Answers under these are read
 * from the folded sums; under any other, from the count of each score (see scoreSums).
 */
export const BUILT_IN_SCORE_CLASSES: ScoreClasses = {
  nps: { promoterMin: 9, detractorMax: 6 },
  csat: { satisfiedMin: { '1-5': 4, '1-7': 6, '1-10': 9 } },
  ces: { easyMin: { '1-5': 4, '1-7': 6 }, hardMax: { '1-5': 2, '1-7': 2 } },
};

/** Today's behaviour as parameters: the built-in classes with the configured sample and zone. */
export function defaultMetricParameters(minSample: number, timeZone: string): MetricParameters {
  return { ...structuredClone(BUILT_IN_SCORE_CLASSES), minSample, timeZone };
}

/** Whether two sets of classes put every score in the same class. */
export function sameScoreClasses(a: ScoreClasses, b: ScoreClasses): boolean {
  return (
    a.nps.promoterMin === b.nps.promoterMin &&
    a.nps.detractorMax === b.nps.detractorMax &&
    CSAT_THRESHOLD_SCALES.every((s) => a.csat.satisfiedMin[s] === b.csat.satisfiedMin[s]) &&
    CES_THRESHOLD_SCALES.every((s) => a.ces.easyMin[s] === b.ces.easyMin[s] && a.ces.hardMax[s] === b.ces.hardMax[s])
  );
}

export function sameMetricParameters(a: MetricParameters, b: MetricParameters): boolean {
  return sameScoreClasses(a, b) && a.minSample === b.minSample && a.timeZone === b.timeZone;
}

/** The metrics whose values depend on the classes (review's 4-5 stars and TTR do not). */
export function isClassifiedMetric(metric: Metric): metric is 'nps' | 'csat' | 'ces' {
  return metric === 'nps' || metric === 'csat' || metric === 'ces';
}

/**
 * Whether an answer of `metric` under `classes` must be computed from score counts: the folded
 * sums hold the built-in classes only.
 */
export function needsScoreCounts(metric: Metric, classes: ScoreClasses | undefined): boolean {
  return classes !== undefined && isClassifiedMetric(metric) && !sameScoreClasses(classes, BUILT_IN_SCORE_CLASSES);
}

/** How many answers gave one score (on one scale): what the score tables keep. */
export interface ScoreCount {
  score: Score;
  count: number;
}

/**
 * The sums a day bucket would hold had it been folded under `classes`, from the count of each
 * score: n, sum and sum of squares are the same under any classes; the NPS classes and the top
 * and bottom boxes follow `classes` for the metric they define (the built-in ones elsewhere, as
 * the fold keeps them). Under the built-in classes this equals the folded bucket exactly.
 */
export function scoreSums(metric: Metric, scale: string, counts: readonly ScoreCount[], classes: ScoreClasses): MetricSums {
  const sums: MetricSums = { n: 0, promoters: 0, passives: 0, detractors: 0, top2: 0, bottom2: 0, sum: 0, sumsq: 0, opened: 0 };
  for (const { score, count } of counts) {
    if (count === 0) continue;
    sums.n += count;
    if (typeof score === 'number') {
      sums.sum += score * count;
      sums.sumsq += score * score * count;
    }
    if (metric === 'nps' && typeof score === 'number') {
      const { promoterMin, detractorMax } = classes.nps;
      if (score >= promoterMin) sums.promoters += count;
      else if (score <= detractorMax) sums.detractors += count;
      else sums.passives += count;
    }
    if (isTop(metric, scale, score, classes)) sums.top2 += count;
    if (isBottom(metric, scale, score, classes)) sums.bottom2 += count;
  }
  return sums;
}

function isTop(metric: Metric, scale: string, score: Score, classes: ScoreClasses): boolean {
  if (scale === 'yes-no') return score === true;
  if (metric === 'csat' && scale in classes.csat.satisfiedMin) return (score as number) >= classes.csat.satisfiedMin[scale as CsatThresholdScale];
  if (metric === 'ces' && scale in classes.ces.easyMin) return (score as number) >= classes.ces.easyMin[scale as CesThresholdScale];
  return isTopTwoBox(score, scale as Scale);
}

function isBottom(metric: Metric, scale: string, score: Score, classes: ScoreClasses): boolean {
  if (scale === 'yes-no') return score === false;
  if (metric === 'ces' && scale in classes.ces.hardMax) return (score as number) <= classes.ces.hardMax[scale as CesThresholdScale];
  return isBottomTwoBox(score, scale as Scale);
}

/** A score as the score tables store it (`9`, `true`) read back. */
export function storedScore(text: string): Score {
  return text === 'true' ? true : text === 'false' ? false : Number(text);
}

export interface ParameterIssue {
  field: string;
  reason: string;
}

const PARAMETER_FIELDS = ['nps', 'csat', 'ces', 'minSample', 'timeZone'];

const own = (record: Record<string, unknown>, key: string): unknown => (Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const shown = (key: string) => key.slice(0, 64);

/**
 * A change of parameters as a request asks for it, checked field by field (own properties only,
 * so `__proto__` is an unknown field, never read) and merged over `base`: a field left out keeps
 * its value in `base`. Every problem is named by its path (`csat.satisfiedMin.1-5`).
 */
export function checkMetricParameters(input: unknown, base: MetricParameters): { parameters: MetricParameters } | { issues: ParameterIssue[] } {
  if (!isRecord(input)) {
    return { issues: [{ field: 'body', reason: 'the body must be an object of parameters: nps, csat, ces, minSample, timeZone' }] };
  }
  const issues: ParameterIssue[] = [];
  const parameters = structuredClone(base);
  for (const key of Object.keys(input)) {
    if (!PARAMETER_FIELDS.includes(key))
      issues.push({ field: shown(key), reason: `unknown parameter ${shown(key)} (parameters: ${PARAMETER_FIELDS.join(', ')})` });
  }
  const section = (name: 'nps' | 'csat' | 'ces', fields: readonly string[]): Record<string, unknown> | null => {
    const value = own(input, name);
    if (value === undefined) return null;
    if (!isRecord(value)) {
      issues.push({ field: name, reason: `${name} must be an object with ${fields.join(', ')}` });
      return null;
    }
    for (const key of Object.keys(value))
      if (!fields.includes(key)) issues.push({ field: `${name}.${shown(key)}`, reason: `${name} holds ${fields.join(', ')} only` });
    return value;
  };
  const whole = (value: unknown, field: string, low: number, high: number, what: string): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
      issues.push({ field, reason: `${field} must be a whole number from ${low} to ${high} (${what})` });
      return undefined;
    }
    return value;
  };
  const perScale = <S extends string>(
    owner: Record<string, unknown>,
    path: string,
    name: string,
    scales: readonly S[],
    range: (scale: S) => [number, number],
    what: string,
  ) => {
    const value = own(owner, name);
    if (value === undefined) return {} as Partial<Record<S, number>>;
    if (!isRecord(value)) {
      issues.push({ field: `${path}.${name}`, reason: `${path}.${name} must be an object by scale: ${scales.map((s) => `"${s}"`).join(', ')}` });
      return {} as Partial<Record<S, number>>;
    }
    const result: Partial<Record<S, number>> = {};
    for (const key of Object.keys(value)) {
      if (!(scales as readonly string[]).includes(key)) {
        const reason =
          key === 'yes-no' ? 'on a yes-no scale yes is satisfied and no is not: it takes no threshold' : `the scales here are ${scales.join(', ')}`;
        issues.push({ field: `${path}.${name}.${shown(key)}`, reason });
      }
    }
    for (const scale of scales) {
      const [low, high] = range(scale);
      const score = whole(own(value, scale), `${path}.${name}.${scale}`, low, high, what);
      if (score !== undefined) result[scale] = score;
    }
    return result;
  };

  const nps = section('nps', ['promoterMin', 'detractorMax']);
  if (nps) {
    const promoterMin = whole(own(nps, 'promoterMin'), 'nps.promoterMin', 1, 10, 'the lowest score of a promoter');
    const detractorMax = whole(own(nps, 'detractorMax'), 'nps.detractorMax', 0, 9, 'the highest score of a detractor');
    if (promoterMin !== undefined) parameters.nps.promoterMin = promoterMin;
    if (detractorMax !== undefined) parameters.nps.detractorMax = detractorMax;
  }
  if (parameters.nps.detractorMax >= parameters.nps.promoterMin) {
    issues.push({
      field: 'nps.detractorMax',
      reason: `nps.detractorMax (${parameters.nps.detractorMax}) must be below nps.promoterMin (${parameters.nps.promoterMin}): no score is both`,
    });
  }
  const csat = section('csat', ['satisfiedMin']);
  if (csat) {
    const satisfied = perScale(csat, 'csat', 'satisfiedMin', CSAT_THRESHOLD_SCALES, (s) => lowestAbove(s), 'the lowest satisfied score');
    Object.assign(parameters.csat.satisfiedMin, satisfied);
  }
  const ces = section('ces', ['easyMin', 'hardMax']);
  if (ces) {
    Object.assign(
      parameters.ces.easyMin,
      perScale(ces, 'ces', 'easyMin', CES_THRESHOLD_SCALES, (s) => lowestAbove(s), 'the lowest easy score'),
    );
    Object.assign(
      parameters.ces.hardMax,
      perScale(ces, 'ces', 'hardMax', CES_THRESHOLD_SCALES, (s) => highestBelow(s), 'the highest hard score'),
    );
  }
  for (const scale of CES_THRESHOLD_SCALES) {
    const { easyMin, hardMax } = parameters.ces;
    if (hardMax[scale] >= easyMin[scale]) {
      issues.push({ field: `ces.hardMax.${scale}`, reason: `ces.hardMax.${scale} (${hardMax[scale]}) must be below ces.easyMin.${scale} (${easyMin[scale]})` });
    }
  }
  const minSample = whole(own(input, 'minSample'), 'minSample', 1, 1_000_000, 'answers below which a row is not yet meaningful');
  if (minSample !== undefined) parameters.minSample = minSample;
  const timeZone = own(input, 'timeZone');
  if (timeZone !== undefined) {
    if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
      issues.push({
        field: 'timeZone',
        reason: `timeZone must be an IANA time zone such as Asia/Ho_Chi_Minh or UTC, got ${JSON.stringify(String(timeZone)).slice(0, 80)}`,
      });
    } else parameters.timeZone = timeZone;
  }
  return issues.length > 0 ? { issues } : { parameters };
}

/** A satisfied or easy threshold: above the scale's lowest answer (someone is not satisfied), at most its highest. */
function lowestAbove(scale: Exclude<Scale, 'yes-no'>): [number, number] {
  const [low, high] = scaleRange(scale);
  return [low + 1, high];
}

/** A hard threshold: at least the scale's lowest answer, below its highest. */
function highestBelow(scale: Exclude<Scale, 'yes-no'>): [number, number] {
  const [low, high] = scaleRange(scale);
  return [low, high - 1];
}

/** Whether the platform's time-zone data knows the zone (Intl: no I/O). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
