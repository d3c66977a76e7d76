import { METRIC_DEFINITIONS, isMetric, type Metric } from '../metrics/metric-definitions';

/**
 * Targets: what good looks like for a metric, per touchpoint, per owner team, or for the whole
 * company ("CSAT ≥ 80% at the hotline", "NPS ≥ 30", "TTR ≤ 4 h"). They are data, not
 * configuration: `TargetSet` / `TargetRemoved` events in their own stream, so their history is
 * kept and every process reads the same ones.
 *
 * A metric whose higher values are better takes a `min`, one whose lower values are better
 * (TTR) takes a `max`: the bound always names the bad side, so a breach reads the same way for
 * every metric. Setting a target for a metric and scope that already has one replaces it (the
 * same targetId): one target per metric and scope.
 */
export const TARGETS_STREAM = 'journeyline-targets';

export type TargetScopeKind = 'touchpoint' | 'owner' | 'all';

export interface TargetScope {
  kind: TargetScopeKind;
  /** The touchpoint or the owner team; null for the whole company. */
  value: string | null;
}

export interface Target {
  targetId: string;
  metric: Metric;
  scope: TargetScope;
  /** The lowest good value (metrics where higher is better). */
  min?: number;
  /** The highest good value (metrics where lower is better: TTR). */
  max?: number;
}

export interface TargetSet {
  type: 'TargetSet';
  data: Target;
}

export interface TargetRemoved {
  type: 'TargetRemoved';
  data: { targetId: string };
}

export type TargetEvent = TargetSet | TargetRemoved;

/** What a request asks for, before it is checked. */
export interface TargetRequest {
  metric?: unknown;
  touchpoint?: unknown;
  owner?: unknown;
  min?: unknown;
  max?: unknown;
}

export interface TargetIssue {
  field: string;
  reason: string;
}

/** Where a metric's values can lie: a target outside can never be met or never be missed. */
const VALUE_RANGES: { readonly [M in Metric]: readonly [number, number] } = {
  nps: [-100, 100],
  csat: [0, 100],
  ces: [1, 10],
  review: [1, 5],
  ttr: [0, 24 * 365],
};

const MAX_NAME_LENGTH = 200;

/** A request made a target (without its id), or every field that is wrong with it. */
export function checkTarget(request: TargetRequest): { target: Omit<Target, 'targetId'> } | { issues: TargetIssue[] } {
  const issues: TargetIssue[] = [];
  const { metric } = request;
  if (!isMetric(metric)) issues.push({ field: 'metric', reason: `metric must be one of ${Object.keys(METRIC_DEFINITIONS).join(', ')}` });
  const scope = scopeOf(request, issues);
  const hasMin = request.min !== undefined && request.min !== null;
  const hasMax = request.max !== undefined && request.max !== null;
  if (hasMin && hasMax) issues.push({ field: 'max', reason: 'give either min or max, not both' });
  if (!hasMin && !hasMax) issues.push({ field: 'min', reason: 'give min (for a metric where higher is better) or max (where lower is better, such as ttr)' });
  const bound = hasMin ? 'min' : 'max';
  const value = hasMin ? request.min : request.max;
  if ((hasMin || hasMax) && !(hasMin && hasMax)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) issues.push({ field: bound, reason: `${bound} must be a number` });
    else if (isMetric(metric)) {
      const better = METRIC_DEFINITIONS[metric].better;
      const wanted = better === 'higher' ? 'min' : 'max';
      if (bound !== wanted)
        issues.push({ field: bound, reason: `${metric}: ${better} is better, so its target is a ${wanted} (e.g. {"metric": "${metric}", "${wanted}": ...})` });
      const [low, high] = VALUE_RANGES[metric];
      if (value < low || value > high) issues.push({ field: bound, reason: `${metric} values lie from ${low} to ${high}` });
    }
  }
  if (issues.length > 0 || !isMetric(metric) || scope === null) return { issues };
  return { target: { metric, scope, [bound]: value as number } };
}

function scopeOf(request: TargetRequest, issues: TargetIssue[]): TargetScope | null {
  const named = (['touchpoint', 'owner'] as const).filter((field) => request[field] !== undefined && request[field] !== null);
  if (named.length === 2) {
    issues.push({ field: 'owner', reason: 'give either touchpoint or owner (or neither, for the whole company), not both' });
    return null;
  }
  if (named.length === 0) return { kind: 'all', value: null };
  const field = named[0];
  const value = request[field];
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH) {
    issues.push({ field, reason: `${field} must be text of 1 to ${MAX_NAME_LENGTH} characters` });
    return null;
  }
  return { kind: field, value };
}

/** The bound a target sets, and which side of it is good. */
export function targetBound(target: Pick<Target, 'min' | 'max'>): { bound: 'min' | 'max'; value: number } {
  return target.min !== undefined ? { bound: 'min', value: target.min } : { bound: 'max', value: target.max! };
}

export function sameScope(a: TargetScope, b: TargetScope): boolean {
  return a.kind === b.kind && a.value === b.value;
}

/** The targets in force after these events, by id. */
export function foldTargets(events: readonly TargetEvent[]): Map<string, Target> {
  const targets = new Map<string, Target>();
  for (const event of events) {
    if (event.type === 'TargetSet') targets.set(event.data.targetId, event.data);
    else targets.delete(event.data.targetId);
  }
  return targets;
}

/** The target already set for this metric and scope, which a new one replaces. */
export function targetForScope(targets: Iterable<Target>, metric: Metric, scope: TargetScope): Target | null {
  for (const target of targets) if (target.metric === metric && sameScope(target.scope, scope)) return target;
  return null;
}

/** A stored record read as a target event, or null when it is not one (or malformed). */
export function readTargetEvent(type: string, data: Record<string, unknown>): TargetEvent | null {
  if (type === 'TargetRemoved') return typeof data.targetId === 'string' ? { type, data: { targetId: data.targetId } } : null;
  if (type !== 'TargetSet') return null;
  const scope = data.scope as TargetScope | undefined;
  if (typeof data.targetId !== 'string' || !isMetric(data.metric) || typeof scope !== 'object' || scope === null) return null;
  if (!['touchpoint', 'owner', 'all'].includes(scope.kind) || (scope.value !== null && typeof scope.value !== 'string')) return null;
  const min = typeof data.min === 'number' ? data.min : undefined;
  const max = typeof data.max === 'number' ? data.max : undefined;
  if ((min === undefined) === (max === undefined)) return null;
  return {
    type,
    data: { targetId: data.targetId, metric: data.metric, scope: { kind: scope.kind, value: scope.value }, ...(min !== undefined ? { min } : { max }) },
  };
}
