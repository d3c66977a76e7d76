import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { round } from '@journeyline/journey';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { previousWindow, queryMetrics, rankWorst, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { MetricAnswers } from '../metric-answers';
import { GetWorstQuery, type WorstRow } from './get-worst-touchpoints.query';

@QueryHandler(GetWorstQuery)
export class GetWorstHandler implements IQueryHandler<GetWorstQuery> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly answers: MetricAnswers,
  ) {}

  execute(query: GetWorstQuery): Promise<WorstRow[]> {
    const { metric, by, window, minSample, limit } = query;
    return this.answers.get(JSON.stringify(['worst', metric, by, window, minSample, limit]), () => this.compute(query));
  }

  private async compute({ metric, by, window, minSample, limit }: GetWorstQuery): Promise<WorstRow[]> {
    const current = await queryMetrics(this.db.reader, metric, by, window, minSample);
    const previous = await queryMetrics(this.db.reader, metric, by, previousWindow(window, this.config.timeZone), minSample);
    const before = new Map(previous.map((row) => [`${row.key}\u0000${row.scale ?? ''}`, row]));
    return rankWorst(metric, current)
      .slice(0, limit)
      .map((row): WorstRow => {
        const past = before.get(`${row.key}\u0000${row.scale ?? ''}`);
        const delta = past?.value != null && row.value != null ? round(row.value - past.value) : null;
        const better = metric === 'ttr' ? -1 : 1;
        return {
          ...row,
          trend: {
            previousValue: past?.value ?? null,
            previousN: past?.n ?? 0,
            delta,
            direction: delta === null ? 'unknown' : delta === 0 ? 'flat' : delta * better > 0 ? 'improving' : 'worsening',
          },
        };
      });
  }
}
