import { Controller, Get, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { STAGE_LABELS, STAGES } from '@journeyline/journey';
import { METRICS, queryMetrics, READ_MODEL_DATABASE, touchpointVisits, type Metric, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { windowFrom } from '../http/query-window';
import { WindowQueryDto } from '../metrics/metrics.request.dto';
import { appProvider } from './app-providers';
import { touchpointStageRows } from './touchpoint-stages.query';

export class TouchpointStagesQueryDto extends WindowQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
}

/**
 * GET /api/v1/touchpoints/by-stage?metric=&window=: the touchpoint × stage heatmap's data. Each
 * touchpoint's metric for the window (all its stages together: the metric buckets have no
 * touchpoint × stage cross dimension) and how its visits spread over the six stages, so the
 * dashboard colours the stage a touchpoint is mostly visited in and marks the others as visited.
 */
@Controller('api/v1/touchpoints')
export class TouchpointStagesController {
  constructor(private readonly moduleRef: ModuleRef) {}

  @Get('by-stage')
  async byStage(@Query() query: TouchpointStagesQueryDto) {
    const config = appProvider<JourneylineConfig>(this.moduleRef, JOURNEYLINE_CONFIG);
    const { reader } = appProvider<ReadModelDatabase>(this.moduleRef, READ_MODEL_DATABASE);
    const window = windowFrom(query, config);
    const minSample = query.minSample ?? config.minSample;
    const metricRows = await queryMetrics(reader, query.metric, 'touchpoint', window, minSample);
    const rows = touchpointStageRows(metricRows, await touchpointVisits(reader));
    return {
      metric: query.metric,
      window,
      minSample,
      stages: STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage] })),
      /** What `homeStage` and `visits` count: every TouchpointVisited fact so far, whatever the window. */
      visitsBasis: 'all-time',
      rows,
    };
  }
}
