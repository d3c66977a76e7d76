/** A metric row as every metric answer carries it (its own file: the dashboard imports the type alone). */
export interface MetricValue {
  key: string;
  /** The scale of the answers in this row (CSAT and CES keep one row per scale). */
  scale?: string;
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  [detail: string]: unknown;
}

export interface MetricRow extends MetricValue {
  /** The sample reaches the configured minimum (default 30). */
  meaningful: boolean;
}
