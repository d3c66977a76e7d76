import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { cutSeries, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetCutSeriesQuery } from './get-cut-series.query';

@QueryHandler(GetCutSeriesQuery)
export class GetCutSeriesHandler implements IQueryHandler<GetCutSeriesQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ metric, cut, key, window, minSample, step, definitions, readModels }: GetCutSeriesQuery) {
    return cutSeries(readModels ?? this.db.queries, metric, cut, key, window, minSample, step, definitions?.parameters);
  }
}
