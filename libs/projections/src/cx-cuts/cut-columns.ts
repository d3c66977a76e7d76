import { METRIC_SUM_FIELDS } from '@journeyline/journey';

/**
 * The count of each score in a bucket, one column per score (0 to 10; no and yes are 0 and 1 on a
 * yes-no scale): an answer under other metric parameters (another CSAT top box, other NPS
 * classes) is computed from them at query time (see cutScoreCounts). Columns rather than a table
 * of scores: a cut bucket stays one row.
 */
export const SCORE_COLUMNS = Array.from({ length: 11 }, (_, score) => `s${score}`);

/** What a cut bucket adds up: the metric sums, then the count of each score. */
export const SUM_COLUMNS: readonly string[] = [...METRIC_SUM_FIELDS, ...SCORE_COLUMNS];

/** Where the count of score 0 sits (score k at SCORE_AT + k). */
export const SCORE_AT = METRIC_SUM_FIELDS.length;
