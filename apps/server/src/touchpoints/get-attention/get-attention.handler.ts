import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { attentionRows, METRICS, type AttentionInput, type Metric } from '@journeyline/journey';
import {
  activeTargets,
  MetricsCache,
  ownersByTouchpoint,
  queryMetrics,
  READ_MODEL_DATABASE,
  type DayWindow,
  type ReadModelDatabase,
  type SqlExecutor,
} from '@journeyline/projections';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';
import { GetAttentionQuery, type AttentionAnswerRow } from './get-attention.query';

@QueryHandler(GetAttentionQuery)
export class GetAttentionHandler implements IQueryHandler<GetAttentionQuery, AttentionAnswerRow[]> {
  /** The metric rows, kept while the metrics read model has not moved; targets and owners are read fresh (they change apart from it). */
  private readonly metricRows: MetricsCache;

  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {
    this.metricRows = new MetricsCache(db.reader);
  }

  async execute({ window, minSample, definitions, readModels }: GetAttentionQuery): Promise<AttentionAnswerRow[]> {
    const reader = readModels ?? this.db.reader;
    const [targets, owners] = await Promise.all([activeTargets(reader), ownersByTouchpoint(reader)]);
    const rows: AttentionInput['rows'] = {};
    for (const metric of METRICS) rows[metric] = await this.rowsOf(metric, window, minSample, definitions, readModels);
    const comments = { from: window.from, to: window.to };
    return attentionRows({ rows, targets, owners }).map((row) => ({
      ...row,
      commentsUrl: `/api/v1/touchpoints/${encodeURIComponent(row.touchpoint)}/comments?${new URLSearchParams(comments).toString()}`,
    }));
  }

  private rowsOf(metric: Metric, window: DayWindow, minSample: number, definitions?: DefinitionsInForce, readModels?: SqlExecutor) {
    // rows as of a past moment are not kept here: the replay they read is (AsOfReplays)
    if (readModels) return metricRowsOf(readModels, metric, window, minSample, definitions);
    return this.metricRows.get(JSON.stringify(['attention', metric, window, minSample, definitions?.version]), () =>
      metricRowsOf(this.db.reader, metric, window, minSample, definitions),
    );
  }
}

/** A metric's rows per touchpoint and for the whole company over the window. */
async function metricRowsOf(reader: SqlExecutor, metric: Metric, window: DayWindow, minSample: number, definitions?: DefinitionsInForce) {
  const classes = definitions?.parameters;
  return {
    touchpoints: await queryMetrics(reader, metric, 'touchpoint', window, minSample, undefined, undefined, classes),
    company: await queryMetrics(reader, metric, 'all', window, minSample, undefined, undefined, classes),
  };
}
