import { quantileFromBins, STAGE_LABELS, STAGES, type Stage } from '@journeyline/journey';
import {
  bucketRowOf,
  emptyFunnelSums,
  funnelBuckets,
  personDays,
  stageGapBins,
  type FunnelSums,
  type JourneyFilter,
} from '../journey-map/journey-days.queries';
import { funnelEntryOf } from '../journey-map/person-days';
import type { SqlExecutor } from '../runtime/sql-executor';

export const FUNNEL_SPLITS = ['acquisitionChannel', 'segment', 'region'] as const;
export type FunnelSplit = (typeof FUNNEL_SPLITS)[number];

export interface FunnelStage {
  stage: Stage;
  label: { en: string; vi: string };
  customers: number;
  /** Share of the previous stage's customers who reached this one (percent; null for the first). */
  conversion: number | null;
  /** Share of the cohort (percent). */
  ofCohort: number | null;
  /** Median hours from reaching the previous stage to reaching this one (within 1%: from duration bins, as a TTR median). */
  medianHoursFromPrevious: number | null;
}

export interface Funnel {
  group: string;
  cohort: number;
  stages: FunnelStage[];
}

/**
 * A cohort funnel: the customers whose first touchpoint falls in [from, to), and for each stage
 * how many of them have reached it (or a later stage, since customers may skip stages) so far.
 * Counts can only fall from stage to stage, which is what a funnel chart promises. Read from the
 * day buckets (journey-days.ts) when they answer it exactly, else per person.
 */
export async function queryFunnel(
  reader: SqlExecutor,
  from: Date,
  to: Date,
  bucketTimeZone: string,
  split?: FunnelSplit,
  filter: JourneyFilter = {},
): Promise<Funnel[]> {
  const row = bucketRowOf(from, to, bucketTimeZone, filter, split);
  const groups = row ? await funnelBuckets(reader, row) : await funnelPerPerson(reader, from, to, split, filter);
  return [...groups.entries()]
    .map(([group, sums]) => funnelOf(split ? group || '(unknown)' : 'all', sums))
    .sort((a, b) => b.cohort - a.cohort || a.group.localeCompare(b.group));
}

async function funnelPerPerson(
  reader: SqlExecutor,
  from: Date,
  to: Date,
  split: FunnelSplit | undefined,
  filter: JourneyFilter,
): Promise<Map<string, FunnelSums>> {
  const groups = new Map<string, FunnelSums>();
  for (const days of await personDays(reader, 'aware_at >= ? AND aware_at < ?', [from.getTime(), to.getTime()], filter)) {
    // the zone only names the bucket day, which this path does not use
    const entry = funnelEntryOf(days, 'UTC')!;
    const group = split ? (days.portrait[split] ?? '') : '';
    const sums = groups.get(group) ?? groups.set(group, emptyFunnelSums()).get(group)!;
    sums.cohort += 1;
    entry.reached.forEach((reached, i) => (sums.reached[i] += reached ? 1 : 0));
    for (const bin of entry.gapBins) sums.gaps[bin] += 1;
  }
  return groups;
}

function funnelOf(group: string, sums: FunnelSums): Funnel {
  const { cohort, reached } = sums;
  const stages = STAGES.map((stage, i): FunnelStage => {
    const previous = i > 0 ? reached[i - 1] : null;
    const median = quantileFromBins(stageGapBins(sums, i), 0.5);
    return {
      stage,
      label: STAGE_LABELS[stage],
      customers: reached[i],
      conversion: previous ? pct(reached[i], previous) : null,
      ofCohort: cohort ? pct(reached[i], cohort) : null,
      medianHoursFromPrevious: median === null ? null : Math.round((median / 3_600_000) * 100) / 100,
    };
  });
  return { group, cohort, stages };
}

function pct(part: number, whole: number): number {
  return Math.round((part / whole) * 10000) / 100;
}
