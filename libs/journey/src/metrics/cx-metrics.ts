import { meanInterval, round, wilsonPercent, Z95, type Estimate } from './interval';

/**
 * The CX metrics exactly as the seed material defines them, from counts (never from stored
 * averages), each with its sample size and 95% interval.
 */

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/**
 * NPS = %promoters − %detractors, in points (−100..100). Its interval uses the standard error of
 * a difference of two shares of one multinomial sample, Var = (p + d − (p − d)²) / n, computed
 * adjusted-Wald style on shares with pseudo-counts (¾ promoter, ¾ detractor, 1½ passive: n + 3),
 * the way Wilson keeps proportions honest: without them one detractor would get the zero-width
 * interval [−100, −100] and look certain.
 */
export function nps({ promoters, passives, detractors }: NpsCounts): Estimate & NpsCounts {
  const n = promoters + passives + detractors;
  if (n === 0) return { value: null, n, low: null, high: null, promoters, passives, detractors };
  const score = (promoters - detractors) / n;
  const adjustedN = n + 3;
  const p = (promoters + 0.75) / adjustedN;
  const d = (detractors + 0.75) / adjustedN;
  const centre = p - d;
  const se = Math.sqrt(Math.max(0, p + d - centre * centre) / adjustedN);
  return {
    value: round(score * 100),
    n,
    low: round(Math.max(-1, centre - Z95 * se) * 100),
    high: round(Math.min(1, centre + Z95 * se) * 100),
    promoters,
    passives,
    detractors,
  };
}

/** CSAT: % satisfied (top-2-box) of all answers on one scale, Wilson interval. */
export function csat(satisfied: number, total: number): Estimate & { satisfied: number } {
  return { ...wilsonPercent(satisfied, total), satisfied };
}

/** CES: mean on its scale (higher = easier), and % easy (top-2-box). */
export function ces(sum: number, sumOfSquares: number, n: number, easy: number, scale: [number, number]): Estimate & { easyPercent: number | null } {
  return { ...meanInterval(sum, sumOfSquares, n, scale), easyPercent: n === 0 ? null : round((easy / n) * 100) };
}

/**
 * Review rating: mean stars (1-5) with its interval, and the share of 4-5-star reviews with a
 * Wilson interval. Reviews are their own metric: their stars never mix into CSAT.
 */
export function reviewRating(
  sum: number,
  sumOfSquares: number,
  n: number,
  fourOrFive: number,
): Estimate & { fourOrFiveStars: number; fourOrFivePercent: number | null; fourOrFiveLow: number | null; fourOrFiveHigh: number | null } {
  const share = wilsonPercent(fourOrFive, n);
  return {
    ...meanInterval(sum, sumOfSquares, n, [1, 5]),
    fourOrFiveStars: fourOrFive,
    fourOrFivePercent: share.value,
    fourOrFiveLow: share.low,
    fourOrFiveHigh: share.high,
  };
}

/**
 * TTR in hours: total time to resolve the resolved tickets / number resolved. The sum of squares
 * comes in seconds² (what read models can keep exactly).
 */
export function ttrHours(resolutionMsSum: number, resolutionSecondsSumOfSquares: number, resolved: number): Estimate {
  return meanInterval(resolutionMsSum / 3_600_000, resolutionSecondsSumOfSquares / (3600 * 3600), resolved, [0, Number.POSITIVE_INFINITY]);
}

export interface RetentionCounts {
  startCustomers: number;
  newCustomers: number;
  endCustomers: number;
  lostCustomers: number;
}

/** ((end − new) / start) × 100 and (lost / start) × 100; null when there was no one at the start. */
export function retention({ startCustomers, newCustomers, endCustomers, lostCustomers }: RetentionCounts) {
  return {
    startCustomers,
    newCustomers,
    endCustomers,
    lostCustomers,
    retentionRate: startCustomers === 0 ? null : round(((endCustomers - newCustomers) / startCustomers) * 100),
    churnRate: startCustomers === 0 ? null : round((lostCustomers / startCustomers) * 100),
  };
}
