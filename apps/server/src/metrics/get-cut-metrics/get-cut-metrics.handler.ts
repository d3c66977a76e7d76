import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import {
  previousWindow,
  queryCutMetrics,
  rankWorst,
  READ_MODEL_DATABASE,
  type CutRow,
  type ReadModelDatabase,
  type SqlExecutor,
} from '@journeyline/projections';
import { CutAnswers } from '../cut-answers';
import { withTrends, type RowWithTrend } from '../metric-trends';
import { GetCutMetricsQuery } from './get-cut-metrics.query';

@QueryHandler(GetCutMetricsQuery)
export class GetCutMetricsHandler implements IQueryHandler<GetCutMetricsQuery, (CutRow | RowWithTrend)[]> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly answers: CutAnswers,
  ) {}

  execute(query: GetCutMetricsQuery): Promise<(CutRow | RowWithTrend)[]> {
    const { metric, cut, window, minSample, compare, worst, definitions, readModels } = query;
    // answers as of a past moment are not kept here: the replay they read is (AsOfReplays)
    if (readModels) return this.compute(query, readModels);
    return this.answers.get(JSON.stringify(['cut', metric, cut, window, minSample, compare, worst, definitions?.version]), () =>
      this.compute(query, this.db.queries),
    );
  }

  private async compute(
    { metric, cut, window, minSample, compare, worst, definitions }: GetCutMetricsQuery,
    reader: SqlExecutor,
  ): Promise<(CutRow | RowWithTrend)[]> {
    const classes = definitions?.parameters;
    // the previous window only for its trend (means, counts, spreads): no TTR quantiles; asked with
    // the current one, so the query thread sums it while this thread turns the current sums into rows
    const [current, previous] = await Promise.all([
      queryCutMetrics(reader, metric, cut, window, minSample, classes),
      compare || worst ? queryCutMetrics(reader, metric, cut, previousWindow(window, this.config.timeZone), minSample, classes, false) : null,
    ]);
    const rows = worst ? rankWorst(metric, current).slice(0, worst.limit) : current;
    return previous ? withTrends(metric, rows, previous) : rows;
  }
}
