import { METRIC_SUM_FIELDS, type MetricSums } from '@journeyline/journey';

/** Where each of the domain's MetricSums sits in a bucket's row of sums (KeyedSums): METRIC_SUM_FIELDS' order, as in the bucket tables. */
export const METRIC_SUM_AT = Object.fromEntries(METRIC_SUM_FIELDS.map((field, i) => [field, i])) as Readonly<Record<keyof MetricSums, number>>;
