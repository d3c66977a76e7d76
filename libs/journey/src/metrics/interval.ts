/** 95% intervals. z = 1.96 throughout. */
export const Z95 = 1.959963984540054;

export interface Estimate {
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
}

/** Wilson score interval of a proportion, in percent: honest at small n and near 0% or 100%. */
export function wilsonPercent(successes: number, n: number): Estimate {
  if (n === 0) return { value: null, n, low: null, high: null };
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: round(p * 100), n, low: round(Math.max(0, centre - half) * 100), high: round(Math.min(1, centre + half) * 100) };
}

/** Mean with a normal-approximation interval from the sum and the sum of squares. */
export function meanInterval(sum: number, sumOfSquares: number, n: number, bounds?: [number, number]): Estimate {
  if (n === 0) return { value: null, n, low: null, high: null };
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1)) : 0;
  const half = n > 1 ? Z95 * Math.sqrt(variance / n) : Number.POSITIVE_INFINITY;
  const [min, max] = bounds ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const low = Math.max(min, mean - half);
  const high = Math.min(max, mean + half);
  return { value: round(mean), n, low: Number.isFinite(low) ? round(low) : null, high: Number.isFinite(high) ? round(high) : null };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
