import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { queryMetrics, READ_MODEL_DATABASE, type MetricRow, type ReadModelDatabase } from '@journeyline/projections';
import { MetricAnswers } from '../metric-answers';
import { GetMetricsQuery } from './get-metrics.query';

@QueryHandler(GetMetricsQuery)
export class GetMetricsHandler implements IQueryHandler<GetMetricsQuery, MetricRow[]> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly answers: MetricAnswers,
  ) {}

  execute({ metric, by, window, minSample, key }: GetMetricsQuery): Promise<MetricRow[]> {
    return this.answers.get(JSON.stringify(['metrics', metric, by, window, minSample, key ?? null]), () => queryMetrics(this.db.reader, metric, by, window, minSample, key));
  }
}
