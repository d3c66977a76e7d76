import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_DATABASE, scoreDistribution, type ReadModelDatabase } from '@journeyline/projections';
import { GetScoreDistributionQuery } from './get-score-distribution.query';

@QueryHandler(GetScoreDistributionQuery)
export class GetScoreDistributionHandler implements IQueryHandler<GetScoreDistributionQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ metric, by, key, window, asOf }: GetScoreDistributionQuery) {
    return scoreDistribution(this.db.reader, metric, by, key, window, asOf);
  }
}
