import { belowTarget, type JudgedRow } from '../metrics/significance';
import type { Metric } from '../metrics/metric-definitions';
import type { Target } from './targets';
import { targetBound } from './targets';

/**
 * A metric over a window as the alerts judge it: the value, its answers and 95% interval, with
 * the details its definition adds (promoters, satisfied, sd, scale), which the judgement reads.
 */
export type MetricReading = JudgedRow;

/**
 * When a breach opens: the row's WHOLE 95% interval lies on the bad side of the target (for a
 * `min`, its top is below it; for a `max`, its bottom is above it). Few answers give a wide
 * interval that still reaches the target, so 3 angry answers open nothing, while 14 answers far
 * below it do. This is the attention list's `belowTarget` (libs/journey/src/metrics/significance.ts),
 * which widens the interval of a handful of answers to the exact one.
 */
export function breachesTarget(metric: Metric, reading: MetricReading, target: Pick<Target, 'min' | 'max'>): boolean {
  return reading.n > 0 && belowTarget(metric, reading, target);
}

/**
 * When an open breach closes: the value itself is back on the good side of the target (at or
 * above a `min`, at or below a `max`). Between the two rules lies a band (the value still on the
 * bad side, the interval reaching the target) in which an open breach stays open and a closed
 * one stays closed: the hysteresis that keeps an alert from flapping on every answer. A window
 * without answers changes nothing: recovery has to be shown by answers.
 */
export function recoveredFromBreach(reading: MetricReading, target: Pick<Target, 'min' | 'max'>): boolean {
  const { bound, value } = targetBound(target);
  if (reading.n === 0 || reading.value === null) return false;
  return bound === 'min' ? reading.value >= value : reading.value <= value;
}
