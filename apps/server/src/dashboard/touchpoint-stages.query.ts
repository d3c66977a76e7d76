import { STAGES, type Stage } from '@journeyline/journey';
import type { MetricRow, SqlExecutor } from '@journeyline/projections';

export interface TouchpointVisits {
  channel: string | null;
  /** Visits per stage, over all time. */
  byStage: Partial<Record<Stage, number>>;
  /** The stage it is visited in most (ties: the earlier stage). */
  homeStage: Stage;
}

const CHUNK = 5000;

/**
 * How often each touchpoint is visited in each stage, kept in memory and brought up to date on
 * every read by folding only the TouchpointVisited facts after the last position seen (facts are
 * never rewritten, and a rebuilt journey map writes the same facts at the same positions). It
 * exists because `cx_buckets` holds one dimension per row: there is no touchpoint × stage
 * breakdown of the metrics, only the stage each touchpoint is mostly visited in.
 */
export class TouchpointStageVisits {
  private readonly counts = new Map<string, { channel: string | null; byStage: Partial<Record<Stage, number>> }>();
  private position = 0;
  private refreshing: Promise<void> | null = null;

  async read(reader: SqlExecutor): Promise<Map<string, TouchpointVisits>> {
    this.refreshing ??= this.catchUp(reader).finally(() => (this.refreshing = null));
    await this.refreshing;
    const result = new Map<string, TouchpointVisits>();
    for (const [touchpoint, { channel, byStage }] of this.counts) result.set(touchpoint, { channel, byStage: { ...byStage }, homeStage: homeStage(byStage) });
    return result;
  }

  private async catchUp(reader: SqlExecutor): Promise<void> {
    for (;;) {
      const rows = await reader.all<{ position: number; data: string }>(
        `SELECT position, data FROM jm_facts WHERE type = 'TouchpointVisited' AND position > ? ORDER BY position LIMIT ?`,
        [this.position, CHUNK],
      );
      for (const row of rows) {
        const { touchpoint, channel, stage } = JSON.parse(row.data) as { touchpoint: string; channel?: string; stage: Stage };
        const entry = this.counts.get(touchpoint) ?? { channel: channel ?? null, byStage: {} };
        entry.byStage[stage] = (entry.byStage[stage] ?? 0) + 1;
        this.counts.set(touchpoint, entry);
        this.position = Math.max(this.position, Number(row.position));
      }
      if (rows.length < CHUNK) return;
    }
  }
}

function homeStage(byStage: Partial<Record<Stage, number>>): Stage {
  let best: Stage = STAGES[0];
  for (const stage of STAGES) if ((byStage[stage] ?? 0) > (byStage[best] ?? 0)) best = stage;
  return best;
}

export interface TouchpointStageRow {
  touchpoint: string;
  scale: string | null;
  channel: string | null;
  homeStage: Stage | null;
  visits: Partial<Record<Stage, number>>;
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  meaningful: boolean;
}

/**
 * One row per touchpoint (and scale): its metric for the window (all stages together) beside the
 * stages it is visited in. Touchpoints visited but without answers in the window come with a
 * null value, so the heatmap shows them as empty rather than leaving them out.
 */
export function touchpointStageRows(metricRows: readonly MetricRow[], visits: Map<string, TouchpointVisits>): TouchpointStageRow[] {
  const rows: TouchpointStageRow[] = metricRows.map((row) => {
    const seen = visits.get(row.key);
    return {
      touchpoint: row.key, scale: row.scale ?? null, channel: seen?.channel ?? null, homeStage: seen?.homeStage ?? null, visits: seen?.byStage ?? {},
      value: row.value, n: row.n, low: row.low, high: row.high, meaningful: row.meaningful,
    };
  });
  const answered = new Set(metricRows.map((row) => row.key));
  for (const [touchpoint, seen] of visits) {
    if (answered.has(touchpoint)) continue;
    rows.push({ touchpoint, scale: null, channel: seen.channel, homeStage: seen.homeStage, visits: seen.byStage, value: null, n: 0, low: null, high: null, meaningful: false });
  }
  const order = (stage: Stage | null) => (stage === null ? STAGES.length : STAGES.indexOf(stage));
  return rows.sort((a, b) => order(a.homeStage) - order(b.homeStage) || a.touchpoint.localeCompare(b.touchpoint) || (a.scale ?? '').localeCompare(b.scale ?? ''));
}
