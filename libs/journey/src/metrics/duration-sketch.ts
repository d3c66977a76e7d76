import { DDSketch } from '@datadog/sketches-js';

/**
 * Median and p90 of resolution times from a mergeable sketch: DDSketch's logarithmic mapping
 * (1% relative accuracy) turns a duration into an integer bin. Read models store bin → count per
 * day bucket, so merging days or touchpoints is a SQL SUM, and quantiles come back from the
 * merged bins within 1% of the exact value.
 */
const mapping = new DDSketch({ relativeAccuracy: 0.01 }).mapping;

/** Durations under a second share bin 0 (a resolution time is never that precise). */
export function durationBin(ms: number): number {
  return ms < 1000 ? 0 : mapping.key(ms / 1000);
}

/** The q-quantile (0..1) in milliseconds from merged bins, or null when there are none. */
export function quantileFromBins(bins: readonly { bin: number; count: number }[], q: number): number | null {
  const sorted = [...bins].filter((b) => b.count > 0).sort((a, b) => a.bin - b.bin);
  const total = sorted.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return null;
  const rank = q * (total - 1);
  let seen = 0;
  for (const { bin, count } of sorted) {
    seen += count;
    if (seen > rank) return bin === 0 ? 0 : mapping.value(bin) * 1000;
  }
  return mapping.value(sorted[sorted.length - 1].bin) * 1000;
}
