import { scaleRange, type Scale } from '../feedback-scales';
import { ces, csat, nps, reviewRating, ttrHours } from './cx-metrics';
import { quantileFromBins } from './duration-sketch';
import { round, type Estimate } from './interval';
import { sampleStandardDeviation } from './significance-math';

/**
 * The CX metrics, each defined once: what it is called, how its value reads, which way is good,
 * how answers of different scales are kept apart, and how its value and 95% interval come from
 * the sums a day bucket keeps. The metrics projection folds events into those sums; queries,
 * the server's answers and rankings, and the dashboard (which receives these definitions from
 * `GET /api/v1/metrics/definitions` and imports only their type) all read them from here.
 *
 * Adding a metric: its definition here, its fold in the metrics projection, its tests.
 */
export const METRICS = ['nps', 'csat', 'ces', 'review', 'ttr'] as const;
export type Metric = (typeof METRICS)[number];

/** What a day bucket keeps: counts and sums only, so a window (or a week of a trend) is a sum of days. */
export interface MetricSums {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** Top-2-box answers (satisfied, easy). */
  top2: number;
  /** Bottom-2-box answers (hard). */
  bottom2: number;
  /** Sum of scores; for TTR, of resolution times in ms. */
  sum: number;
  /** Sum of squared scores; for TTR, of squared resolution times in whole seconds. */
  sumsq: number;
  /** Tickets opened (TTR). */
  opened: number;
}

export const METRIC_SUM_FIELDS: readonly (keyof MetricSums)[] = ['n', 'promoters', 'passives', 'detractors', 'top2', 'bottom2', 'sum', 'sumsq', 'opened'];

/** A metric's value for one key (and scale): the estimate and the details its definition adds. */
export type MetricValue = Estimate & Record<string, unknown>;

/** Bins of resolution times (DDSketch keys), for TTR's median and p90. */
export type DurationBins = readonly { bin: number; count: number }[];

export interface MetricDefinition {
  readonly metric: Metric;
  readonly labels: { readonly en: string; readonly vi: string };
  /** How the value reads: NPS points (−100..100), a percent, a mean on the answers' own scale (stars for reviews), hours. */
  readonly unit: 'points' | 'percent' | 'scale-mean' | 'hours';
  /** Which way is good: NPS, CSAT and CES higher; TTR lower. */
  readonly better: 'higher' | 'lower';
  /** Answers on different scales are never averaged together: one row per scale. */
  readonly perScale: boolean;
  /** Digits shown after the decimal point. */
  readonly digits: number;
  /** Whether a distribution of scores exists (not for a time). */
  readonly hasDistribution: boolean;
  /**
   * Fixed colour bands (the heatmap's): a value on the bad side of `bad` is bad, one at least as
   * good as `good` is good, between is neutral. The same every period, so a touchpoint keeps its
   * colour whatever the window. In the metric's unit, or with `on: 'scale'` as a position on the
   * answers' own scale (0 its lowest answer, 1 its highest), so 1-5 and 1-7 CES read alike. A
   * touchpoint's target, when it has one, replaces them.
   */
  readonly bands: { readonly bad: number; readonly good: number; readonly on: 'value' | 'scale' };
  /** The value, its sample size, 95% interval and details, from summed buckets. */
  value(sums: MetricSums, scale: string, bins: DurationBins): MetricValue;
}

/** What the API sends of a definition (everything but the computation). */
export type MetricDefinitionView = Omit<MetricDefinition, 'value'>;

export const METRIC_DEFINITIONS: { readonly [M in Metric]: MetricDefinition & { readonly metric: M } } = {
  nps: {
    metric: 'nps',
    labels: { en: 'NPS', vi: 'NPS' },
    unit: 'points',
    better: 'higher',
    perScale: false,
    digits: 1,
    hasDistribution: true,
    bands: { bad: 0, good: 30, on: 'value' },
    value: (s) => ({ ...nps({ promoters: s.promoters, passives: s.passives, detractors: s.detractors }) }),
  },
  csat: {
    metric: 'csat',
    labels: { en: 'CSAT', vi: 'CSAT' },
    unit: 'percent',
    better: 'higher',
    perScale: true,
    digits: 1,
    hasDistribution: true,
    bands: { bad: 70, good: 85, on: 'value' },
    value: (s, scale) => ({ ...csat(s.top2, s.n), mean: scale === 'yes-no' || s.n === 0 ? null : round(s.sum / s.n) }),
  },
  ces: {
    metric: 'ces',
    labels: { en: 'CES', vi: 'CES' },
    unit: 'scale-mean',
    better: 'higher',
    perScale: true,
    digits: 2,
    hasDistribution: true,
    // 1-7: below 4 is hard, 5.5 and up easy; 1-5: below 3, 4 and up
    bands: { bad: 0.5, good: 0.75, on: 'scale' },
    value: (s, scale) => ({
      ...ces(s.sum, s.sumsq, s.n, s.top2, scaleRange(scale as Exclude<Scale, 'yes-no'>)),
      hardPercent: s.n ? round((s.bottom2 / s.n) * 100) : null,
      sd: roundedSd(s.sum, s.sumsq, s.n),
    }),
  },
  review: {
    metric: 'review',
    labels: { en: 'Review rating', vi: 'Điểm đánh giá' },
    unit: 'scale-mean',
    better: 'higher',
    // reviews are 1-5 stars, always
    perScale: false,
    digits: 2,
    hasDistribution: true,
    bands: { bad: 3.5, good: 4.2, on: 'value' },
    value: (s) => ({ ...reviewRating(s.sum, s.sumsq, s.n, s.top2), sd: roundedSd(s.sum, s.sumsq, s.n) }),
  },
  ttr: {
    metric: 'ttr',
    labels: { en: 'Time to resolution', vi: 'Thời gian giải quyết' },
    unit: 'hours',
    better: 'lower',
    perScale: false,
    digits: 1,
    hasDistribution: false,
    // lower is better: more than a day is bad, a working day or less good
    bands: { bad: 24, good: 8, on: 'value' },
    value: (s, _scale, bins) => {
      const median = quantileFromBins(bins, 0.5);
      const p90 = quantileFromBins(bins, 0.9);
      return {
        ...ttrHours(s.sum, s.sumsq, s.n),
        medianHours: median === null ? null : round(median / 3_600_000),
        p90Hours: p90 === null ? null : round(p90 / 3_600_000),
        opened: s.opened,
        resolved: s.n,
        sd: roundedSd(s.sum / 3_600_000, s.sumsq / (3600 * 3600), s.n),
      };
    },
  },
};

/** The answers' standard deviation, for the tests of change between windows (Welch). */
function roundedSd(sum: number, sumOfSquares: number, n: number): number | null {
  const sd = sampleStandardDeviation(sum, sumOfSquares, n);
  return sd === null ? null : round(sd, 4);
}

export function isMetric(value: unknown): value is Metric {
  return typeof value === 'string' && (METRICS as readonly string[]).includes(value);
}

/** The definitions as the API sends them. */
export function metricDefinitionViews(): MetricDefinitionView[] {
  return METRICS.map((metric) => {
    const { value: _value, ...view } = METRIC_DEFINITIONS[metric];
    return view;
  });
}

/**
 * The bound a ranking of "worst first" reads: the one least favourable to calling a row bad (the
 * upper bound when higher is better, the lower when lower is), so 3 angry answers with a wide
 * interval do not outrank 300 surely mediocre ones.
 */
export function rankingBound(metric: Metric): 'high' | 'low' {
  return METRIC_DEFINITIONS[metric].better === 'higher' ? 'high' : 'low';
}

/**
 * A row's place in a worst-first ranking (lower is worse). CES rows of different scales compare
 * by where the bound sits on its own scale. Rows without a bound go last.
 */
export function rankingScore(metric: Metric, row: { low: number | null; high: number | null; scale?: string }): number {
  const bound = rankingBound(metric) === 'high' ? row.high : row.low;
  if (bound === null) return Number.POSITIVE_INFINITY;
  if (METRIC_DEFINITIONS[metric].unit === 'scale-mean' && row.scale) {
    const [low, high] = scaleRange(row.scale as Exclude<Scale, 'yes-no'>);
    return (bound - low) / (high - low);
  }
  return METRIC_DEFINITIONS[metric].better === 'higher' ? bound : -bound;
}

export type TrendDirection = 'improving' | 'worsening' | 'flat' | 'unknown';

/** Whether a change of `delta` in the metric is for the better. */
export function trendDirection(metric: Metric, delta: number | null): TrendDirection {
  if (delta === null) return 'unknown';
  if (delta === 0) return 'flat';
  return delta > 0 === (METRIC_DEFINITIONS[metric].better === 'higher') ? 'improving' : 'worsening';
}
