import { explainChange, type ExplainGroup, type MetricChange } from '@journeyline/journey/metrics/explain';
import { METRIC_SUM_FIELDS, type Metric, type MetricSums } from '@journeyline/journey/metrics/metric-definitions';

/**
 * given(groups' answers before and now).whenExplained(metric).then(change, mix, rate) — the
 * decomposition of a change read as the business would say it: "phone answered more, and phone
 * is worse".
 */

export const sums = (s: Partial<MetricSums>): MetricSums => Object.fromEntries(METRIC_SUM_FIELDS.map((f) => [f, s[f] ?? 0])) as unknown as MetricSums;

/** NPS answers: promoters, passives, detractors. */
export const nps = (promoters: number, passives: number, detractors: number) => sums({ n: promoters + passives + detractors, promoters, passives, detractors });
/** CSAT answers: satisfied (top-2-box) of n. */
export const csat = (satisfied: number, n: number) => sums({ n, top2: satisfied });
/** Scores on a scale (CES, reviews). */
export const scores = (...list: number[]) => sums({ n: list.length, sum: list.reduce((a, b) => a + b, 0), sumsq: list.reduce((a, b) => a + b * b, 0) });
/** Resolved tickets, by their hours to resolve. */
export const hours = (...list: number[]) =>
  sums({ n: list.length, sum: list.reduce((a, h) => a + h * 3_600_000, 0), sumsq: list.reduce((a, h) => a + (h * 3600) ** 2, 0) });
export const none = sums({});

/** A group's answers in the previous window, then in the current one. */
export const group = (key: string, before: MetricSums, now: MetricSums): ExplainGroup => ({ key, previous: before, current: now });

type Expected = Partial<Pick<MetricChange, 'change' | 'mix' | 'rate'>>;

export function given(...groups: ExplainGroup[]) {
  return {
    whenExplained(metric: Metric, scale = metric === 'nps' ? '0-10' : '1-5') {
      const result = explainChange(metric, scale, groups);
      const then = {
        result,
        /** The totals, to the hundredth. */
        then(expected: Expected) {
          for (const [field, value] of Object.entries(expected)) expect([field, result[field as keyof Expected]]).toEqual([field, value]);
          return then;
        },
        /** Each named group's contribution, mix and rate (and anything else given), to the hundredth. */
        thenGroups(expected: Record<string, Partial<MetricChange['groups'][number]>>) {
          for (const [key, fields] of Object.entries(expected)) expect(result.groups.find((g) => g.key === key)).toMatchObject({ key, ...fields });
          return then;
        },
        /** The answers to show come from this group: its worst (a change for the worse) or its best. */
        thenLookAt(key: string, answers: 'worst' | 'best') {
          expect(result.focus).toEqual({ key, answers });
          return then;
        },
        /** mix + rate = change, Σ contributions = change, Σ mix_g = mix, Σ rate_g = rate, contribution_g = mix_g + rate_g: exactly, in hundredths. */
        thenAddsUp() {
          expectAddsUp(result);
          return then;
        },
      };
      return then;
    },
  };
}

const cents = (value: number | null) => Math.round((value ?? NaN) * 100);

export function expectAddsUp(result: MetricChange): void {
  expect(result.change).not.toBeNull();
  expect(cents(result.current.value) - cents(result.previous.value)).toBe(cents(result.change));
  expect(cents(result.mix) + cents(result.rate)).toBe(cents(result.change));
  const sumOf = (field: 'contribution' | 'mix' | 'rate') => result.groups.reduce((a, g) => a + cents(g[field]), 0);
  expect(sumOf('contribution')).toBe(cents(result.change));
  expect(sumOf('mix')).toBe(cents(result.mix));
  expect(sumOf('rate')).toBe(cents(result.rate));
  for (const g of result.groups) expect(cents(g.mix) + cents(g.rate)).toBe(cents(g.contribution));
}
