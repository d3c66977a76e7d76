import { durationBin, localDay, PORTRAIT_FIELDS, STAGES, type PortraitField, type Stage } from '@journeyline/journey';
import { isSealed } from '@journeyline/privacy';
import type { JourneySummary } from './journey-summary';

/**
 * What one person brings to the funnel and retention day buckets (journey-days.ts), kept per
 * person in `jm_person_days`: when a person's stages, first purchase, churns, portrait or places
 * change, what they brought before is taken out of the buckets and what they bring now is added.
 * Merges, late events and portrait changes therefore move a person's whole history between
 * buckets, and the buckets always equal the per-person answer.
 */
export interface PersonDays {
  /** When each stage (or a later one) was first reached. */
  reached: Partial<Record<Stage, number>>;
  firstPurchaseAt: number | null;
  /** Churns and reactivations as [at, log position, 1 for a churn / 0 for a reactivation], by (at, position). */
  lifecycle: [number, number, 0 | 1][];
  /** The person's latest readable portrait (a sealed field is unknown). */
  portrait: Partial<Record<PortraitField, string>>;
  /** Touchpoints and channels the person ever visited, sorted. */
  touchpoints: string[];
  channels: string[];
}

/** The filters a bucket row answers: everyone (`''`), one portrait field, or one place (touchpoint, channel, stage reached). */
export const DAY_FILTER_FIELDS = ['', ...PORTRAIT_FIELDS, 'touchpoint', 'channel', 'stage'] as const;
export type DayFilterField = (typeof DAY_FILTER_FIELDS)[number];

/** A person's own lists, gathered from their facts. */
export interface PersonPlaces {
  lifecycle: [number, number, 0 | 1][];
  touchpoints: Set<string>;
  channels: Set<string>;
}

export function emptyPlaces(): PersonPlaces {
  return { lifecycle: [], touchpoints: new Set(), channels: new Set() };
}

/** A person's days from their summary and their gathered lists (the stored ones added when `stored` is given). */
export function personDaysOf(summary: JourneySummary, places: PersonPlaces, stored?: PersonDays | null): PersonDays | null {
  if (summary.factCount === 0) return null;
  const lifecycle = new Map<number, [number, number, 0 | 1]>();
  for (const change of [...(stored?.lifecycle ?? []), ...places.lifecycle]) lifecycle.set(change[1], change);
  const portrait: Partial<Record<PortraitField, string>> = {};
  for (const field of PORTRAIT_FIELDS) {
    const value = summary.profile[field];
    if (typeof value === 'string' && value !== '' && !isSealed(value)) portrait[field] = value;
  }
  return {
    reached: { ...summary.stageReached },
    firstPurchaseAt: summary.firstPurchaseAt,
    lifecycle: [...lifecycle.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    portrait,
    touchpoints: [...new Set([...(stored?.touchpoints ?? []), ...places.touchpoints])].sort(),
    channels: [...new Set([...(stored?.channels ?? []), ...places.channels])].sort(),
  };
}

/** The (field, value) rows a person counts under: everyone, each portrait field (`''` when unknown), each place. */
export function filterKeysOf(days: PersonDays): [DayFilterField, string][] {
  return [
    ['', ''],
    ...PORTRAIT_FIELDS.map((field): [DayFilterField, string] => [field, days.portrait[field] ?? '']),
    ...days.touchpoints.map((t): [DayFilterField, string] => ['touchpoint', t]),
    ...days.channels.map((c): [DayFilterField, string] => ['channel', c]),
    ...STAGES.filter((s) => days.reached[s] !== undefined).map((s): [DayFilterField, string] => ['stage', s]),
  ];
}

/** Whether the person counts under every one of these filters. */
export function matchesFilters(days: PersonDays, filters: readonly [DayFilterField, string][]): boolean {
  return filters.every(([field, value]) => {
    if (field === '') return true;
    if (field === 'touchpoint') return days.touchpoints.includes(value);
    if (field === 'channel') return days.channels.includes(value);
    if (field === 'stage') return days.reached[value as Stage] !== undefined;
    return days.portrait[field] === value;
  });
}

/**
 * The step in stage i's gap histogram: gaps of stage i (1..5) from stage i−1 share one histogram,
 * told apart by this offset. A duration bin (1% wide from one second) passes 2,048 only past 10^17
 * seconds, so none is clamped.
 */
export const GAP_BIN_STRIDE = 2048;

/** A person in the funnel: the awareness day, the stages reached and the gaps between consecutive ones (as duration bins). */
export interface FunnelEntry {
  day: string;
  reached: boolean[];
  /** Offset bins (GAP_BIN_STRIDE × stage index + duration bin) of the gaps. */
  gapBins: number[];
}

export function funnelEntryOf(days: PersonDays, timeZone: string): FunnelEntry | null {
  const aware = days.reached.awareness;
  if (aware === undefined) return null;
  const gapBins: number[] = [];
  for (let i = 1; i < STAGES.length; i++) {
    const [before, at] = [days.reached[STAGES[i - 1]], days.reached[STAGES[i]]];
    if (before !== undefined && at !== undefined) gapBins.push(i * GAP_BIN_STRIDE + Math.min(durationBin(at - before), GAP_BIN_STRIDE - 1));
  }
  return { day: localDay(aware, timeZone), reached: STAGES.map((s) => days.reached[s] !== undefined), gapBins };
}

/**
 * Whether the person is an active customer just after each moment their status can change:
 * after the first purchase, and until a churn, and again after a reactivation (DESIGN.md). As
 * [instant, +1 | −1] steps, in order; "active at T" is the sum of the steps before T.
 */
export function activeSteps(days: PersonDays): [number, number][] {
  const moments = [...new Set([...(days.firstPurchaseAt === null ? [] : [days.firstPurchaseAt]), ...days.lifecycle.map((c) => c[0])])].sort((a, b) => a - b);
  const steps: [number, number][] = [];
  let active = 0;
  let last: 0 | 1 | null = null;
  let next = 0;
  for (const moment of moments) {
    while (next < days.lifecycle.length && days.lifecycle[next][0] <= moment) last = days.lifecycle[next++][2];
    const now = days.firstPurchaseAt !== null && days.firstPurchaseAt <= moment && last !== 1 ? 1 : 0;
    if (now !== active) steps.push([moment, now - active]);
    active = now;
  }
  return steps;
}

/** Whether the person is active at `at` (steps before it). */
export function activeAt(days: PersonDays, at: number): boolean {
  return activeSteps(days).reduce((sum, [moment, step]) => (moment < at ? sum + step : sum), 0) > 0;
}

/** A person in retention: the days their activity steps fall on, their first purchase's day, their churns' days and each later churn's previous churn's day. */
export interface RetentionEntry {
  steps: [string, number][];
  freshDay: string | null;
  churnDays: string[];
  /** [day of a churn, day of the person's churn before it]: a person lost twice in a window counts once. */
  repeats: [string, string][];
}

export function retentionEntryOf(days: PersonDays, timeZone: string): RetentionEntry {
  const churns = days.lifecycle.filter((c) => c[2] === 1).map((c) => localDay(c[0], timeZone));
  return {
    steps: activeSteps(days).map(([at, step]) => [localDay(at, timeZone), step]),
    freshDay: days.firstPurchaseAt === null ? null : localDay(days.firstPurchaseAt, timeZone),
    churnDays: churns,
    repeats: churns.slice(1).map((day, i) => [day, churns[i]]),
  };
}
