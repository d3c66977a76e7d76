import { STAGE_LABELS, STAGES, type Stage } from '@journeyline/journey';
import { portraitJoin, type PortraitFilter } from '../cx-cuts/cx-cuts.queries';
import type { SqlExecutor } from '../runtime/sql-executor';

export const FUNNEL_SPLITS = ['acquisitionChannel', 'segment', 'region'] as const;
export type FunnelSplit = (typeof FUNNEL_SPLITS)[number];
const SPLIT_COLUMN: Record<FunnelSplit, string> = { acquisitionChannel: 'acquisition_channel', segment: 'segment', region: 'region' };

export interface FunnelStage {
  stage: Stage;
  label: { en: string; vi: string };
  customers: number;
  /** Share of the previous stage's customers who reached this one (percent; null for the first). */
  conversion: number | null;
  /** Share of the cohort (percent). */
  ofCohort: number | null;
  /** Median hours from reaching the previous stage to reaching this one. */
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
 * Counts can only fall from stage to stage, which is what a funnel chart promises.
 */
export async function queryFunnel(reader: SqlExecutor, from: Date, to: Date, split?: FunnelSplit, portrait?: PortraitFilter): Promise<Funnel[]> {
  const splitColumn = split ? `c.${SPLIT_COLUMN[split]}` : `'all'`;
  // a portrait filter keeps the persons whose own portrait matches (cx-cuts keeps the latest per customer id)
  const filter = portraitJoin('r.customer_id', portrait);
  const rows = await reader.all<{ customer_id: string; grp: string | null; stage: Stage; reached_at: number }>(
    `SELECT r.customer_id, ${splitColumn} AS grp, r.stage, r.reached_at
       FROM jm_stage_reached r JOIN jm_customers c ON c.customer_id = r.customer_id ${filter.sql}
      WHERE r.customer_id IN (SELECT customer_id FROM jm_stage_reached WHERE stage = 'awareness' AND reached_at >= ? AND reached_at < ?)`,
    [...filter.params, from.getTime(), to.getTime()],
  );
  const groups = new Map<string, Map<string, Partial<Record<Stage, number>>>>();
  for (const row of rows) {
    const group = row.grp ?? '(unknown)';
    const customers = groups.get(group) ?? new Map();
    const reached = customers.get(row.customer_id) ?? {};
    reached[row.stage] = Number(row.reached_at);
    customers.set(row.customer_id, reached);
    groups.set(group, customers);
  }
  return [...groups.entries()]
    .map(([group, customers]) => funnelOf(group, [...customers.values()]))
    .sort((a, b) => b.cohort - a.cohort || a.group.localeCompare(b.group));
}

function funnelOf(group: string, customers: Partial<Record<Stage, number>>[]): Funnel {
  const cohort = customers.length;
  const stages = STAGES.map((stage, i): FunnelStage => {
    const reached = customers.filter((c) => c[stage] !== undefined);
    const previous = i > 0 ? customers.filter((c) => c[STAGES[i - 1]] !== undefined).length : null;
    const gaps = i > 0 ? reached.filter((c) => c[STAGES[i - 1]] !== undefined).map((c) => c[stage]! - c[STAGES[i - 1]]!) : [];
    return {
      stage,
      label: STAGE_LABELS[stage],
      customers: reached.length,
      conversion: previous ? pct(reached.length, previous) : null,
      ofCohort: cohort ? pct(reached.length, cohort) : null,
      medianHoursFromPrevious: gaps.length ? Math.round((median(gaps) / 3_600_000) * 100) / 100 : null,
    };
  });
  return { group, cohort, stages };
}

function pct(part: number, whole: number): number {
  return Math.round((part / whole) * 10000) / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
