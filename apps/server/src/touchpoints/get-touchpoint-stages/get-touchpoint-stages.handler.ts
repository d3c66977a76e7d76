import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  queryMetrics,
  READ_MODEL_DATABASE,
  touchpointStageRows,
  touchpointVisits,
  type ReadModelDatabase,
  type TouchpointStageRow,
} from '@journeyline/projections';
import { GetTouchpointStagesQuery } from './get-touchpoint-stages.query';

@QueryHandler(GetTouchpointStagesQuery)
export class GetTouchpointStagesHandler implements IQueryHandler<GetTouchpointStagesQuery, TouchpointStageRow[]> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  async execute({ metric, window, minSample, definitions, readModels, metricsAsOf }: GetTouchpointStagesQuery): Promise<TouchpointStageRow[]> {
    const metricRows = await queryMetrics(this.db.reader, metric, 'touchpoint', window, minSample, undefined, metricsAsOf, definitions?.parameters);
    return touchpointStageRows(metricRows, await touchpointVisits(readModels ?? this.db.reader));
  }
}
