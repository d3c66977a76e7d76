import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { previousWindow, queryMetricsBy, READ_MODEL_DATABASE, type MetricRow, type ReadModelDatabase, type SqlExecutor } from '@journeyline/projections';
import { MetricAnswers } from '../metric-answers';
import { withTrends, type RowWithTrend } from '../metric-trends';
import { GetMetricsQuery } from './get-metrics.query';

@QueryHandler(GetMetricsQuery)
export class GetMetricsHandler implements IQueryHandler<GetMetricsQuery, (MetricRow | RowWithTrend)[]> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly answers: MetricAnswers,
  ) {}

  execute(query: GetMetricsQuery): Promise<(MetricRow | RowWithTrend)[]> {
    const { metric, by, window, minSample, compare, asOf, definitions, readModels } = query;
    // answers from read models as of a past moment are not kept here: the replay they read is (AsOfReplays)
    if (readModels) return this.compute(query, readModels);
    return this.answers.get(JSON.stringify(['metrics', metric, by, window, minSample, compare, asOf?.asOf, definitions?.version]), () =>
      this.compute(query, this.db.queries),
    );
  }

  private async compute(
    { metric, by, window, minSample, compare, asOf, definitions }: GetMetricsQuery,
    reader: SqlExecutor,
  ): Promise<(MetricRow | RowWithTrend)[]> {
    const classes = definitions?.parameters;
    if (!compare) return queryMetricsBy(reader, metric, by, window, minSample, asOf, classes);
    // both windows asked at once: the query thread sums the previous one while this thread turns the current sums into rows
    const [rows, previous] = await Promise.all([
      queryMetricsBy(reader, metric, by, window, minSample, asOf, classes),
      queryMetricsBy(reader, metric, by, previousWindow(window, this.config.timeZone), minSample, asOf, classes),
    ]);
    return withTrends(metric, rows, previous);
  }
}
