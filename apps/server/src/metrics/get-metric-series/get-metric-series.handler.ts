import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { dailySeries, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetMetricSeriesQuery } from './get-metric-series.query';

@QueryHandler(GetMetricSeriesQuery)
export class GetMetricSeriesHandler implements IQueryHandler<GetMetricSeriesQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ metric, by, key, window, minSample, step, asOf, definitions }: GetMetricSeriesQuery) {
    return dailySeries(this.db.queries, metric, by, key, window, minSample, step, asOf, definitions?.parameters);
  }
}
