import { METRIC_DEFINITIONS, METRIC_SUM_FIELDS, type Metric, type MetricSums } from './metric-definitions';
import { attentionGap, belowTarget, judgedInterval, meetsTarget, significantlyWorse, trendSignificance, type JudgedRow } from './significance';
import { betaQuantile, exactShareBounds, studentQuantile975, studentTwoSided } from './significance-math';

/** A row as the metrics query makes it: the metric's definition applied to summed answers. */
function row(metric: Metric, answers: Partial<MetricSums>, scale = metric === 'nps' ? '0-10' : '1-5'): JudgedRow {
  const sums = Object.fromEntries(METRIC_SUM_FIELDS.map((field) => [field, answers[field] ?? 0])) as unknown as MetricSums;
  return { ...(METRIC_DEFINITIONS[metric].perScale ? { scale } : {}), ...METRIC_DEFINITIONS[metric].value(sums, scale, []) };
}

const npsOf = (promoters: number, passives: number, detractors: number) =>
  row('nps', { n: promoters + passives + detractors, promoters, passives, detractors });
const csatOf = (satisfied: number, n: number) => row('csat', { n, top2: satisfied });
/** Scores on one scale: sum and sum of squares as the buckets keep them. */
const scores = (metric: Metric, list: number[], scale?: string) =>
  row(metric, { n: list.length, sum: list.reduce((a, b) => a + b, 0), sumsq: list.reduce((a, b) => a + b * b, 0) }, scale);
const repeat = (value: number, times: number) => Array.from({ length: times }, () => value);
const HOUR_MS = 3_600_000;
const ttrOf = (hours: number[]) =>
  row('ttr', { n: hours.length, sum: hours.reduce((a, h) => a + h * HOUR_MS, 0), sumsq: hours.reduce((a, h) => a + (h * 3600) ** 2, 0) });

describe('a touchpoint needs attention when its whole interval is on the bad side', () => {
  it('14 answers, all detractors, against a company NPS of +31.2 → significant', () => {
    const hotline = npsOf(0, 0, 14);
    expect(significantlyWorse('nps', hotline, 31.2)).toBe(true);
    expect(judgedInterval('nps', hotline)!.high).toBeLessThan(-40);
  });

  it('13 detractors and a passive (the demo hotline, NPS −92.9) → significant', () => {
    const hotline = npsOf(0, 1, 13);
    expect(hotline.value).toBe(-92.86);
    expect(hotline.high).toBeCloseTo(-51.86, 1);
    // judged on the exact bounds, wider at this n: at least 66.1% detractors, at most 23.2% promoters
    expect(judgedInterval('nps', hotline)!.high).toBeCloseTo(-43, 0);
    expect(significantlyWorse('nps', hotline, 31.2)).toBe(true);
  });

  it('60 CSAT answers at 20% against a company CSAT of 75% → significant', () => {
    expect(significantlyWorse('csat', csatOf(12, 60), 75)).toBe(true);
  });

  it('3 angry answers (3 detractors) against a company NPS of +30 → not significant', () => {
    const angry = npsOf(0, 0, 3);
    // exact: the detractor share is at least .292, so NPS could still be 1 − 2 × .292 = +41.6
    expect(judgedInterval('nps', angry)!.high).toBeCloseTo(41.5, 0);
    expect(significantlyWorse('nps', angry, 30)).toBe(false);
  });

  it('40 mediocre answers close to the company value → not significant', () => {
    // NPS +20 (16 promoters, 16 passives, 8 detractors) against +30
    expect(significantlyWorse('nps', npsOf(16, 16, 8), 30)).toBe(false);
    // CSAT 65% of 40 against 75%
    expect(significantlyWorse('csat', csatOf(26, 40), 75)).toBe(false);
  });

  it('many answers clearly below the company value → significant, though each answer is only mediocre', () => {
    expect(significantlyWorse('csat', csatOf(650, 1000), 75)).toBe(true);
  });

  it('identical answers are not a certainty: 2 one-star reviews have a wide interval, not [1, 1]', () => {
    const two = scores('review', [1, 1]);
    expect(two).toMatchObject({ value: 1, low: 1, high: 1 });
    expect(judgedInterval('review', two)!.high).toBeGreaterThan(4.3);
    expect(significantlyWorse('review', two, 4.2)).toBe(false);
  });

  it('a single answer has no interval: never significant', () => {
    expect(significantlyWorse('nps', npsOf(0, 0, 1), 50)).toBe(false);
    expect(significantlyWorse('ces', scores('ces', [1], '1-7'), 6)).toBe(false);
  });

  it('CES is judged on its own scale: 30 answers of 2-3 on 1-7 against a company mean of 5.1 → significant', () => {
    const hard = scores('ces', [...repeat(2, 15), ...repeat(3, 15)], '1-7');
    expect(significantlyWorse('ces', hard, 5.1)).toBe(true);
    expect(significantlyWorse('ces', hard, 2.6)).toBe(false);
  });

  it('TTR: lower is better, so a touchpoint needs attention when its whole interval is above the company value', () => {
    const slow = ttrOf([...repeat(30, 10), ...repeat(40, 10)]);
    expect(significantlyWorse('ttr', slow, 6)).toBe(true);
    expect(significantlyWorse('ttr', ttrOf([5, 7, 6, 8]), 6)).toBe(false);
    expect(significantlyWorse('ttr', ttrOf([1, 2, 1, 2, 1]), 6)).toBe(false);
  });
});

describe('targets', () => {
  it('a few answers below the target → not below it; clearly below → below', () => {
    expect(belowTarget('csat', csatOf(2, 4), { min: 80 })).toBe(false);
    expect(belowTarget('csat', csatOf(30, 60), { min: 80 })).toBe(true);
  });

  it('TTR ≤ 4 h: missed when the whole interval is above 4 h', () => {
    expect(belowTarget('ttr', ttrOf(repeat(9, 20).map((h, i) => h + (i % 3))), { max: 4 })).toBe(true);
    expect(belowTarget('ttr', ttrOf([3, 5]), { max: 4 })).toBe(false);
  });

  it('met only when the whole interval is on the good side', () => {
    expect(meetsTarget('csat', csatOf(95, 100), { min: 80 })).toBe(true);
    expect(meetsTarget('csat', csatOf(8, 10), { min: 80 })).toBe(false);
  });
});

describe('most urgent first: the distance of the favourable bound from the reference, per unit of the metric', () => {
  it('14 detractors against +31.2 come before 40 mediocre CSAT answers and after nothing closer', () => {
    const hotline = attentionGap('nps', npsOf(0, 0, 14), 31.2)!;
    const mediocre = attentionGap('csat', csatOf(26, 40), 75)!;
    expect(hotline).toBeGreaterThan(0.3);
    expect(mediocre).toBeLessThan(0);
    expect(hotline).toBeGreaterThan(mediocre);
  });

  it('a CES gap counts by its scale: 1 point on 1-5 weighs more than 1 point on 1-7', () => {
    const fivePoint = attentionGap('ces', { value: 2, n: 100, low: 1.9, high: 2.1, scale: '1-5', sd: 0.5 }, 3.1)!;
    const sevenPoint = attentionGap('ces', { value: 3, n: 100, low: 2.9, high: 3.1, scale: '1-7', sd: 0.5 }, 4.1)!;
    expect(fivePoint).toBeGreaterThan(sevenPoint);
  });
});

describe('a trend is up or down only when the two windows differ significantly', () => {
  it('CSAT 70% → 50% on 100 answers each → down', () => {
    expect(trendSignificance('csat', csatOf(50, 100), csatOf(70, 100))).toBe('down');
  });

  it('CSAT 60% → 70% on 10 answers each → no clear change', () => {
    expect(trendSignificance('csat', csatOf(7, 10), csatOf(6, 10))).toBe('no-clear-change');
  });

  it('NPS −100 on 3 answers after +100 on 3 → no clear change yet', () => {
    expect(trendSignificance('nps', npsOf(0, 0, 3), npsOf(3, 0, 0))).toBe('no-clear-change');
  });

  it('NPS −100 on 14 answers after 0 on 14 (5/4/5) → down', () => {
    expect(trendSignificance('nps', npsOf(0, 0, 14), npsOf(5, 4, 5))).toBe('down');
  });

  it('NPS +10 → +14 on 200 answers each → no clear change', () => {
    expect(trendSignificance('nps', npsOf(80, 68, 52), npsOf(76, 68, 56))).toBe('no-clear-change');
  });

  it('review stars 3.0 → 4.0 on 50 reviews each (Welch) → up', () => {
    const before = scores('review', [...repeat(2, 25), ...repeat(4, 25)]);
    const after = scores('review', [...repeat(3, 25), ...repeat(5, 25)]);
    expect(trendSignificance('review', after, before)).toBe('up');
  });

  it('TTR falling from ~10 h to ~5 h on 20 tickets each → down (which, for TTR, is better)', () => {
    const before = ttrOf(Array.from({ length: 20 }, (_, i) => 8 + (i % 5)));
    const after = ttrOf(Array.from({ length: 20 }, (_, i) => 3 + (i % 5)));
    expect(trendSignificance('ttr', after, before)).toBe('down');
  });

  it('one answer on either side → no clear change', () => {
    expect(trendSignificance('csat', csatOf(0, 1), csatOf(100, 100))).toBe('no-clear-change');
  });
});

describe('the distributions, against published tables', () => {
  it('Clopper-Pearson 0 of 3: upper 70.8%; 13 of 14: lower 66.1%', () => {
    expect(exactShareBounds(0, 3).high).toBeCloseTo(0.7076, 3);
    expect(exactShareBounds(13, 14).low).toBeCloseTo(0.6613, 3);
  });

  it("Student's t: 97.5% quantile 12.706 at 1 df, 2.045 at 29, about 1.96 at 10,000; p of t = 2.228 at 10 df is 0.05", () => {
    expect(studentQuantile975(1)).toBeCloseTo(12.706, 2);
    expect(studentQuantile975(29)).toBeCloseTo(2.045, 2);
    expect(studentQuantile975(10_000)).toBeCloseTo(1.96, 2);
    expect(studentTwoSided(2.228, 10)).toBeCloseTo(0.05, 3);
  });

  it('the beta quantile inverts: median of Beta(2, 2) is 0.5', () => {
    expect(betaQuantile(0.5, 2, 2)).toBeCloseTo(0.5, 6);
  });
});
