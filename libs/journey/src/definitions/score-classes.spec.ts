import { METRIC_DEFINITIONS } from '../metrics/metric-definitions';
import { BUILT_IN_SCORE_CLASSES, defaultMetricParameters, needsScoreCounts, scoreSums, type ScoreClasses, type ScoreCount } from './metric-parameters';

/**
 * The same answers under two sets of parameters, worked by hand. CSAT 1-5 at a touchpoint: ten
 * answers, 5 5 4 4 4 3 3 2 1 5 — counts {1:1, 2:1, 3:2, 4:3, 5:3}.
 *   top-2-box (4-5 satisfied): 6 of 10 = 60%;   top-box (5 only): 3 of 10 = 30%.
 * NPS 0-10: twenty answers — 10×4, 9×3, 8×5, 7×2, 6×3, 5×2, 3×1.
 *   9-10 / 0-6: promoters 7, detractors 6 → +5.0;   10 / 0-5: promoters 4, detractors 3 → +5.0 (and 13 passives);
 *   9-10 / 0-7: promoters 7, detractors 8 → −5.0.
 */
const csatAnswers: ScoreCount[] = [
  { score: 1, count: 1 },
  { score: 2, count: 1 },
  { score: 3, count: 2 },
  { score: 4, count: 3 },
  { score: 5, count: 3 },
];
const npsAnswers: ScoreCount[] = [
  { score: 10, count: 4 },
  { score: 9, count: 3 },
  { score: 8, count: 5 },
  { score: 7, count: 2 },
  { score: 6, count: 3 },
  { score: 5, count: 2 },
  { score: 3, count: 1 },
];
const params = (changes: Partial<ScoreClasses>): ScoreClasses => ({ ...defaultMetricParameters(30, 'UTC'), ...changes });
const csatValue = (classes: ScoreClasses) => METRIC_DEFINITIONS.csat.value(scoreSums('csat', '1-5', csatAnswers, classes), '1-5', []);
const npsValue = (classes: ScoreClasses) => METRIC_DEFINITIONS.nps.value(scoreSums('nps', '0-10', npsAnswers, classes), '0-10', []);

describe('metric values under versioned parameters (score counts → sums → value)', () => {
  it('CSAT: top-2-box says 60% satisfied, top-box 30%, from the same answers', () => {
    expect(csatValue(BUILT_IN_SCORE_CLASSES)).toMatchObject({ value: 60, n: 10, satisfied: 6, mean: 3.6 });
    expect(csatValue(params({ csat: { satisfiedMin: { '1-5': 5, '1-7': 6, '1-10': 9 } } }))).toMatchObject({ value: 30, n: 10, satisfied: 3, mean: 3.6 });
  });

  it('NPS: who is a promoter and who a detractor', () => {
    expect(npsValue(BUILT_IN_SCORE_CLASSES)).toMatchObject({ value: 5, n: 20, promoters: 7, passives: 7, detractors: 6 });
    expect(npsValue(params({ nps: { promoterMin: 10, detractorMax: 5 } }))).toMatchObject({ value: 5, promoters: 4, passives: 13, detractors: 3 });
    expect(npsValue(params({ nps: { promoterMin: 9, detractorMax: 7 } }))).toMatchObject({ value: -5, promoters: 7, passives: 5, detractors: 8 });
  });

  it('CES: easy and hard boxes per scale; the mean does not depend on them', () => {
    const answers: ScoreCount[] = [
      { score: 1, count: 2 },
      { score: 3, count: 1 },
      { score: 6, count: 1 },
      { score: 7, count: 1 },
    ];
    const value = (classes: ScoreClasses) => METRIC_DEFINITIONS.ces.value(scoreSums('ces', '1-7', answers, classes), '1-7', []);
    expect(value(BUILT_IN_SCORE_CLASSES)).toMatchObject({ value: 3.6, easyPercent: 40, hardPercent: 40 });
    expect(value(params({ ces: { easyMin: { '1-5': 4, '1-7': 7 }, hardMax: { '1-5': 2, '1-7': 3 } } }))).toMatchObject({
      value: 3.6,
      easyPercent: 20,
      hardPercent: 60,
    });
  });

  it('yes-no CSAT: yes is satisfied whatever the thresholds', () => {
    const answers: ScoreCount[] = [
      { score: true, count: 3 },
      { score: false, count: 1 },
    ];
    const strict = params({ csat: { satisfiedMin: { '1-5': 5, '1-7': 7, '1-10': 10 } } });
    expect(METRIC_DEFINITIONS.csat.value(scoreSums('csat', 'yes-no', answers, strict), 'yes-no', [])).toMatchObject({ value: 75, mean: null });
  });

  it('the folded sums serve the built-in classes; any other needs the score counts (NPS, CSAT, CES only)', () => {
    expect(needsScoreCounts('csat', BUILT_IN_SCORE_CLASSES)).toBe(false);
    expect(needsScoreCounts('csat', undefined)).toBe(false);
    const strict = params({ csat: { satisfiedMin: { '1-5': 5, '1-7': 6, '1-10': 9 } } });
    expect(needsScoreCounts('csat', strict)).toBe(true);
    expect(needsScoreCounts('nps', strict)).toBe(true);
    expect(needsScoreCounts('review', strict)).toBe(false);
    expect(needsScoreCounts('ttr', strict)).toBe(false);
  });
});
