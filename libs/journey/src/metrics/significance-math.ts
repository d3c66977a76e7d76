/**
 * The distributions the significance judgements need, in plain TS: Student's t tail and
 * quantile, the regularized incomplete beta function and its inverse (for exact Clopper-Pearson
 * bounds). Accurate to far better than the two decimals any answer shows.
 */

/** ln Γ(x), Lanczos approximation (g = 7, 9 terms). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-12) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** The x with I_x(a, b) = p, by bisection (I is increasing in x). */
export function betaQuantile(p: number, a: number, b: number): number {
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (incompleteBeta(mid, a, b) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * Exact (Clopper-Pearson) 95% bounds of a share from `successes` of `n` (a share, 0..1). Never
 * narrower than the truth at small n, which is why the judgements use it beside the rows' own
 * intervals. `successes` may be fractional (a mean placed on a 0..1 scale).
 */
export function exactShareBounds(successes: number, n: number): { low: number; high: number } {
  const k = Math.min(Math.max(successes, 0), n);
  return {
    low: k <= 0 ? 0 : betaQuantile(0.025, k, n - k + 1),
    high: k >= n ? 1 : betaQuantile(0.975, k + 1, n - k),
  };
}

/** Two-sided p-value of Student's t with `df` degrees of freedom. */
export function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The 97.5% quantile of Student's t with `df` degrees of freedom (the half-width factor of a 95% interval). */
export function studentQuantile975(df: number): number {
  const known = quantiles.get(df);
  if (known !== undefined) return known;
  let low = 0;
  let high = 1000;
  for (let i = 0; i < 80; i++) {
    const mid = (low + high) / 2;
    if (studentTwoSided(mid, df) > 0.05) low = mid;
    else high = mid;
  }
  const quantile = (low + high) / 2;
  if (quantiles.size < 10_000) quantiles.set(df, quantile);
  return quantile;
}

const quantiles = new Map<number, number>();

/** Sample standard deviation from the sum, the sum of squares and n (null below two answers). */
export function sampleStandardDeviation(sum: number, sumOfSquares: number, n: number): number | null {
  if (n < 2) return null;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1)));
}
