import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { previousWindow, queryMetrics, rankWorst, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { MetricAnswers } from '../metric-answers';
import { withTrends } from '../metric-trends';
import { GetWorstQuery, type WorstRow } from './get-worst-touchpoints.query';

@QueryHandler(GetWorstQuery)
export class GetWorstHandler implements IQueryHandler<GetWorstQuery> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly answers: MetricAnswers,
  ) {}

  execute(query: GetWorstQuery): Promise<WorstRow[]> {
    const { metric, by, window, minSample, limit, asOf, definitions } = query;
    return this.answers.get(JSON.stringify(['worst', metric, by, window, minSample, limit, asOf?.asOf, definitions?.version]), () => this.compute(query));
  }

  private async compute({ metric, by, window, minSample, limit, asOf, definitions }: GetWorstQuery): Promise<WorstRow[]> {
    const classes = definitions?.parameters;
    // both windows asked at once: the query thread sums the previous one while this thread ranks the current one
    const [current, previous] = await Promise.all([
      queryMetrics(this.db.queries, metric, by, window, minSample, undefined, asOf, classes),
      queryMetrics(this.db.queries, metric, by, previousWindow(window, this.config.timeZone), minSample, undefined, asOf, classes),
    ]);
    return withTrends(metric, rankWorst(metric, current).slice(0, limit), previous);
  }
}
