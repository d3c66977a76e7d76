import type { Estimate } from './interval';
import { METRIC_DEFINITIONS, trendDirection, type Metric, type MetricSums } from './metric-definitions';

/**
 * Why a metric moved between two windows: its change split into mix (the groups — channels,
 * stages, segments — answered in other proportions) and rate (the scores within each group
 * changed), group by group.
 *
 * Every metric here is a weighted mean of its groups' values, the weights being each group's share
 * of the answers (NPS points, CSAT %, CES and review means: answers; TTR hours: resolved
 * tickets): V = Σ_g w_g·v_g, w_g = n_g / N. With 0 the previous window and 1 the current one, the
 * symmetric (Kitagawa 1955; Das Gupta 1991 for two factors) shift-share averages the two orders of
 * change, so nothing is left as an interaction term:
 *
 *   mix_g  = (w1_g − w0_g) · (v̄_g − V̄)        v̄_g = (v0_g + v1_g) / 2,  V̄ = (V0 + V1) / 2
 *   rate_g = w̄_g · (v1_g − v0_g)              w̄_g = (w0_g + w1_g) / 2
 *   contribution_g = mix_g + rate_g,  Σ_g contribution_g = V1 − V0
 *
 * because (w1 − w0)·v̄ + w̄·(v1 − v0) = w1·v1 − w0·v0 for every group, and Σ_g (w1_g − w0_g) = 0
 * (both windows' shares sum to 1), so centring v̄_g on V̄ changes no total. The centring is what
 * makes a group's mix read right: a group gaining share lowers the metric when it is worse than
 * the average (V̄), not merely when its value is low; a group as good as the average moves
 * nothing by gaining share.
 *
 * A group in one window only has no value in the other: it is given its one value in both, so its
 * rate is 0 and all of its effect is mix (a new channel's answers are a change of who answered; a
 * channel that fell silent, likewise). The identity holds whatever value is filled in, as its
 * weight there is 0.
 *
 * Rounding: everything is computed unrounded, then rounded to hundredths so that the identities
 * still hold exactly in hundredths: `change` is `current.value − previous.value` (the values as
 * the metrics endpoints show them), `mix + rate = change`, Σ mix_g = mix, Σ rate_g = rate, and
 * contribution_g = mix_g + rate_g (so Σ contribution_g = change). The hundredths a rounding leaves
 * over go, one at a time, to the terms that rounding moved most (largest remainder), ties to the
 * largest term.
 */

/** One group's bucket sums in both windows (zero sums where it had no answers). */
export interface ExplainGroup {
  key: string;
  current: MetricSums;
  previous: MetricSums;
}

export interface GroupChange {
  key: string;
  /** mix + rate: what this group moved the metric by (null when a window has no answers at all). */
  contribution: number | null;
  mix: number | null;
  rate: number | null;
  nCurrent: number;
  nPrevious: number;
  /** The group's own value in each window (null without answers there). */
  valueCurrent: number | null;
  valuePrevious: number | null;
  /** The group's share of the window's answers, in percent. */
  shareCurrent: number | null;
  sharePrevious: number | null;
}

export interface MetricChange {
  current: Estimate;
  previous: Estimate;
  /** current.value − previous.value; null when either window has no answers. */
  change: number | null;
  mix: number | null;
  rate: number | null;
  /** Largest |contribution| first. */
  groups: GroupChange[];
  /** The group whose answers show why (see focusOf), and whether its worst or best answers; null when nothing changed. */
  focus: ChangeFocus | null;
}

export interface ChangeFocus {
  key: string;
  answers: 'worst' | 'best';
}

/**
 * The value of a metric from bucket sums, unrounded: what the metric's definition computes before
 * it rounds (the spec checks that the two agree), for the decomposition to work on exact values.
 */
export function exactValue(metric: Metric, s: MetricSums): number | null {
  if (s.n <= 0) return null;
  switch (metric) {
    case 'nps':
      return ((s.promoters - s.detractors) / s.n) * 100;
    case 'csat':
      return (s.top2 / s.n) * 100;
    case 'ces':
    case 'review':
      return s.sum / s.n;
    case 'ttr':
      return s.sum / 3_600_000 / s.n;
  }
}

/** The metric's change between the previous and the current window, split into mix and rate per group. */
export function explainChange(metric: Metric, scale: string, groups: readonly ExplainGroup[]): MetricChange {
  const definition = METRIC_DEFINITIONS[metric];
  const estimate = (sums: MetricSums): Estimate => {
    const { value, n, low, high } = definition.value(sums, scale, []);
    return { value, n, low, high };
  };
  const current = estimate(total(groups.map((g) => g.current)));
  const previous = estimate(total(groups.map((g) => g.previous)));
  const n1 = current.n;
  const n0 = previous.n;
  const v1 = exactValue(metric, total(groups.map((g) => g.current)));
  const v0 = exactValue(metric, total(groups.map((g) => g.previous)));
  const share = (n: number, of: number) => (of > 0 ? roundHundredths((n / of) * 100) : null);
  const described = groups.map((g) => {
    const valueCurrent = exactValue(metric, g.current);
    const valuePrevious = exactValue(metric, g.previous);
    return {
      key: g.key,
      nCurrent: Math.max(0, g.current.n),
      nPrevious: Math.max(0, g.previous.n),
      exactCurrent: valueCurrent,
      exactPrevious: valuePrevious,
      valueCurrent: valueCurrent === null ? null : roundHundredths(valueCurrent),
      valuePrevious: valuePrevious === null ? null : roundHundredths(valuePrevious),
      shareCurrent: share(Math.max(0, g.current.n), n1),
      sharePrevious: share(Math.max(0, g.previous.n), n0),
    };
  });
  const view = (g: (typeof described)[number], mix: number | null, rate: number | null): GroupChange => ({
    key: g.key,
    contribution: mix === null || rate === null ? null : mix + rate,
    mix,
    rate,
    nCurrent: g.nCurrent,
    nPrevious: g.nPrevious,
    valueCurrent: g.valueCurrent,
    valuePrevious: g.valuePrevious,
    shareCurrent: g.shareCurrent,
    sharePrevious: g.sharePrevious,
  });

  if (v1 === null || v0 === null || current.value === null || previous.value === null) {
    const groupsWithout = described.filter((g) => g.nCurrent > 0 || g.nPrevious > 0).map((g) => view(g, null, null));
    return { current, previous, change: null, mix: null, rate: null, groups: sortGroups(groupsWithout), focus: null };
  }

  const centre = (v0 + v1) / 2;
  const present = described.filter((g) => g.nCurrent > 0 || g.nPrevious > 0);
  const terms = present.map((g) => {
    // a group in one window only: its one value in both (rate 0, all of its effect is mix)
    const gv1 = g.exactCurrent ?? g.exactPrevious!;
    const gv0 = g.exactPrevious ?? g.exactCurrent!;
    const w1 = g.nCurrent / n1;
    const w0 = g.nPrevious / n0;
    return { key: g.key, nCurrent: g.nCurrent, w0, w1, mix: (w1 - w0) * ((gv0 + gv1) / 2 - centre), rate: ((w0 + w1) / 2) * (gv1 - gv0) };
  });
  const changeCents = Math.round((current.value - previous.value) * 100);
  const [mixCents, rateCents] = apportion([sum(terms.map((t) => t.mix)) * 100, sum(terms.map((t) => t.rate)) * 100], changeCents);
  const groupMix = apportion(
    terms.map((t) => t.mix * 100),
    mixCents,
  );
  const groupRate = apportion(
    terms.map((t) => t.rate * 100),
    rateCents,
  );
  const changed = present.map((g, i) => ({ ...view(g, fromCents(groupMix[i]), fromCents(groupRate[i])), contribution: fromCents(groupMix[i] + groupRate[i]) }));
  return {
    current,
    previous,
    change: fromCents(changeCents),
    mix: fromCents(mixCents),
    rate: fromCents(rateCents),
    groups: sortGroups(changed),
    // by the change as shown (in hundredths), so a change that rounds to 0 points at no answers, as `direction` says flat
    focus: focusOf(metric, changeCents, terms),
  };
}

/**
 * Where to look for the answers behind a change: the group whose own answers of the current window
 * moved the metric most in the direction it went. A group's answers move it by its rate (how they
 * scored) and, when it answered more than before, by its mix (more of its answers count); a group
 * that answered less moved it by being absent, and has no answers of its own to show for that. So:
 * the largest sign(change) · (rate_g + (w1_g > w0_g ? mix_g : 0)). When phone (−20) answers more
 * and chat (+60) less, both contributions are negative, but phone's answers are the ones to read.
 * Its worst answers show a change for the worse, its best one for the better. Null when nothing
 * changed or no group of the current window moved it that way.
 */
function focusOf(
  metric: Metric,
  change: number,
  groups: readonly { key: string; nCurrent: number; w0: number; w1: number; mix: number; rate: number }[],
): ChangeFocus | null {
  if (change === 0) return null;
  let best: { key: string; moved: number } | null = null;
  for (const g of groups) {
    if (g.nCurrent <= 0) continue;
    const moved = Math.sign(change) * (g.rate + (g.w1 > g.w0 ? g.mix : 0));
    if (moved > 0 && (best === null || moved > best.moved || (moved === best.moved && g.key < best.key))) best = { key: g.key, moved };
  }
  if (best === null) return null;
  return { key: best.key, answers: trendDirection(metric, change) === 'worsening' ? 'worst' : 'best' };
}

/**
 * Integers summing to `total`, each as close to its value as that allows: every value rounded, then
 * the hundredths left over added (or taken) one at a time where rounding moved the value most
 * (largest remainder), ties to the largest value. Values are already in hundredths.
 */
export function apportion(values: readonly number[], total: number): number[] {
  const rounded = values.map((v) => Math.round(v));
  let residue = total - sum(rounded);
  if (residue === 0 || values.length === 0) return rounded;
  const up = residue > 0;
  const order = values
    .map((v, i) => ({ i, gap: v - rounded[i], size: Math.abs(v) }))
    .sort((a, b) => (up ? b.gap - a.gap : a.gap - b.gap) || b.size - a.size || a.i - b.i);
  for (let k = 0; residue !== 0; k = (k + 1) % order.length) {
    rounded[order[k].i] += up ? 1 : -1;
    residue += up ? -1 : 1;
  }
  return rounded;
}

function sortGroups(groups: GroupChange[]): GroupChange[] {
  return groups.sort(
    (a, b) =>
      Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0) ||
      b.nCurrent + b.nPrevious - (a.nCurrent + a.nPrevious) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

function total(list: readonly MetricSums[]): MetricSums {
  const out: MetricSums = { n: 0, promoters: 0, passives: 0, detractors: 0, top2: 0, bottom2: 0, sum: 0, sumsq: 0, opened: 0 };
  for (const s of list) for (const field of Object.keys(out) as (keyof MetricSums)[]) out[field] += s[field];
  return out;
}

function sum(list: readonly number[]): number {
  return list.reduce((a, b) => a + b, 0);
}

function roundHundredths(value: number): number {
  return fromCents(Math.round(value * 100));
}

/** Hundredths to the number, never −0 (a rounded −0.004 is 0). */
function fromCents(cents: number): number {
  return cents / 100 + 0;
}
