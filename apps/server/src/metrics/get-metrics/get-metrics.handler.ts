import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { previousWindow, queryMetricsBy, READ_MODEL_DATABASE, type MetricRow, type ReadModelDatabase } from '@journeyline/projections';
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

  execute({ metric, by, window, minSample, compare, asOf, definitions }: GetMetricsQuery): Promise<(MetricRow | RowWithTrend)[]> {
    const classes = definitions?.parameters;
    return this.answers.get(JSON.stringify(['metrics', metric, by, window, minSample, compare, asOf?.asOf, definitions?.version]), async () => {
      const rows = await queryMetricsBy(this.db.reader, metric, by, window, minSample, asOf, classes);
      if (!compare) return rows;
      return withTrends(metric, rows, await queryMetricsBy(this.db.reader, metric, by, previousWindow(window, this.config.timeZone), minSample, asOf, classes));
    });
  }
}
