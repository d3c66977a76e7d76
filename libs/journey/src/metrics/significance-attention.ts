import { round } from './interval';
import { METRIC_DEFINITIONS, METRICS, type Metric } from './metric-definitions';
import { attentionGap, belowTarget, judgedInterval, significantlyWorse, type JudgedRow } from './significance';

/**
 * "What needs attention": every touchpoint row, of every metric, whose whole interval lies on the
 * bad side of its reference, most urgent first. The reference is the touchpoint's target when one
 * applies (set for the touchpoint itself, else for its owner team, else for everything), else the
 * whole company's value of the metric in the same window (on the same scale, for metrics kept
 * per scale). A target is what the team agreed good looks like, so where one exists it alone
 * decides.
 */

/** A target as the targets read model answers it (the shape of libs/journey alerts' Target). */
export interface AttentionTarget {
  metric: Metric;
  scope: { kind: 'touchpoint' | 'owner' | 'all'; value: string | null };
  min?: number;
  max?: number;
}

/** A metric row of one touchpoint (`key`), or of the whole company (key `*`). */
export type AttentionInputRow = JudgedRow & { key: string };

export interface AttentionRow {
  touchpoint: string;
  metric: Metric;
  /** The answers' scale, for metrics kept per scale (CSAT, CES). */
  scale?: string;
  value: number;
  n: number;
  /** The interval the judgement read (see judgedInterval): the row's own, widened to the exact one at small n. */
  low: number;
  high: number;
  /** The target that applied, when one did; `reference` is then its bound. */
  target?: { min?: number; max?: number; scope: AttentionTarget['scope'] };
  /** What the interval was compared with: the target's bound, else the company's value. */
  reference: number;
  referenceKind: 'target' | 'company';
  owner: string | null;
  /** How far the interval's favourable bound is past the reference, per unit of the metric (see attentionGap): the ranking. */
  urgency: number;
  reason: string;
}

export interface AttentionInput {
  /** Per metric: the touchpoint rows and the company rows (one per scale) of the window. */
  rows: { [M in Metric]?: { touchpoints: readonly AttentionInputRow[]; company: readonly AttentionInputRow[] } };
  targets: readonly AttentionTarget[];
  owners: ReadonlyMap<string, string>;
}

/** The most specific target of the metric for a touchpoint: its own, its owner's, everyone's. */
export function applicableTarget(metric: Metric, touchpoint: string, owner: string | null, targets: readonly AttentionTarget[]): AttentionTarget | null {
  const of = targets.filter((t) => t.metric === metric);
  return (
    of.find((t) => t.scope.kind === 'touchpoint' && t.scope.value === touchpoint) ??
    (owner === null ? undefined : of.find((t) => t.scope.kind === 'owner' && t.scope.value === owner)) ??
    of.find((t) => t.scope.kind === 'all') ??
    null
  );
}

export function attentionRows({ rows, targets, owners }: AttentionInput): AttentionRow[] {
  const out: AttentionRow[] = [];
  for (const metric of METRICS) {
    const answer = rows[metric];
    if (!answer) continue;
    const companyByScale = new Map(answer.company.map((row) => [row.scale ?? '', row.value]));
    for (const row of answer.touchpoints) {
      const owner = owners.get(row.key) ?? null;
      const target = applicableTarget(metric, row.key, owner, targets);
      const company = companyByScale.get(row.scale ?? '') ?? null;
      const reference = target ? (target.min ?? target.max ?? null) : company;
      if (reference === null || reference === undefined) continue;
      const bad = target ? belowTarget(metric, row, target) : significantlyWorse(metric, row, reference);
      const interval = judgedInterval(metric, row);
      if (!bad || !interval || row.value === null) continue;
      const urgency = attentionGap(metric, row, reference)!;
      const attention: AttentionRow = {
        touchpoint: row.key,
        metric,
        ...(row.scale !== undefined ? { scale: row.scale } : {}),
        value: row.value,
        n: row.n,
        low: interval.low,
        high: interval.high,
        ...(target
          ? {
              target: {
                ...(target.min !== undefined ? { min: target.min } : {}),
                ...(target.max !== undefined ? { max: target.max } : {}),
                scope: target.scope,
              },
            }
          : {}),
        reference,
        referenceKind: target ? 'target' : 'company',
        owner,
        urgency: round(urgency, 4),
        reason: '',
      };
      attention.reason = reasonOf(attention);
      out.push(attention);
    }
  }
  return out.sort((a, b) => b.urgency - a.urgency || a.touchpoint.localeCompare(b.touchpoint) || a.metric.localeCompare(b.metric));
}

/** "NPS −92.9 (interval −100 to −42.9, 14 answers) is below the company's +31.2", in plain words. */
export function reasonOf(row: Pick<AttentionRow, 'metric' | 'scale' | 'value' | 'n' | 'low' | 'high' | 'reference' | 'referenceKind'>): string {
  const definition = METRIC_DEFINITIONS[row.metric];
  const text = (value: number) => formatValue(row.metric, value, row.scale);
  const side = definition.better === 'higher' ? 'below' : 'above';
  const whose = row.referenceKind === 'target' ? 'its target of' : "the company's";
  const label = `${definition.labels.en}${row.scale && definition.perScale ? ` (${row.scale})` : ''}`;
  const answers = `${row.n} ${row.n === 1 ? 'answer' : 'answers'}`;
  return `${label} ${text(row.value)} (interval ${text(row.low)} to ${text(row.high)}, ${answers}) is ${side} ${whose} ${text(row.reference)}`;
}

function formatValue(metric: Metric, value: number, scale?: string): string {
  const { unit, digits } = METRIC_DEFINITIONS[metric];
  const number = (v: number) => `${v < 0 ? '−' : ''}${round(Math.abs(v), digits)}`;
  switch (unit) {
    case 'points':
      return value > 0 ? `+${number(value)}` : number(value);
    case 'percent':
      return `${number(value)}%`;
    case 'scale-mean':
      return scale && scale !== 'yes-no' ? `${number(value)} of ${scale.split('-')[1]}` : metric === 'review' ? `${number(value)}★` : number(value);
    case 'hours':
      return `${number(value)} h`;
  }
}
