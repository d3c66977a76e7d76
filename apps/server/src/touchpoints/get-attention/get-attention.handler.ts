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

  async execute({ window, minSample, definitions }: GetAttentionQuery): Promise<AttentionAnswerRow[]> {
    const [targets, owners] = await Promise.all([activeTargets(this.db.reader), ownersByTouchpoint(this.db.reader)]);
    const rows: AttentionInput['rows'] = {};
    for (const metric of METRICS) rows[metric] = await this.rowsOf(metric, window, minSample, definitions);
    const comments = { from: window.from, to: window.to };
    return attentionRows({ rows, targets, owners }).map((row) => ({
      ...row,
      commentsUrl: `/api/v1/touchpoints/${encodeURIComponent(row.touchpoint)}/comments?${new URLSearchParams(comments).toString()}`,
    }));
  }

  private rowsOf(metric: Metric, window: DayWindow, minSample: number, definitions?: DefinitionsInForce) {
    const classes = definitions?.parameters;
    return this.metricRows.get(JSON.stringify(['attention', metric, window, minSample, definitions?.version]), async () => ({
      touchpoints: await queryMetrics(this.db.reader, metric, 'touchpoint', window, minSample, undefined, undefined, classes),
      company: await queryMetrics(this.db.reader, metric, 'all', window, minSample, undefined, undefined, classes),
    }));
  }
}
