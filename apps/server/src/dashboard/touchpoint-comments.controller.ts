import { Controller, Get, Param, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { windowFrom } from '../http/query-window';
import { WindowQueryDto } from '../metrics/metrics.request.dto';
import { appProvider } from './app-providers';
import { latestComments } from './touchpoint-comments.query';

export class TouchpointCommentsQueryDto extends WindowQueryDto {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100) limit?: number;
}

const MAX_SCAN = 50_000;

/**
 * GET /api/v1/touchpoints/:touchpoint/comments?limit=&window=|from=&to=&tz=: the latest feedback
 * comments given at a touchpoint (newest first by occurredAt), with the customer who gave each.
 * Without a window it looks at all time. See latestComments for how it reads.
 */
@Controller('api/v1/touchpoints')
export class TouchpointCommentsController {
  constructor(private readonly moduleRef: ModuleRef) {}

  @Get(':touchpoint/comments')
  async comments(@Param('touchpoint') touchpoint: string, @Query() query: TouchpointCommentsQueryDto) {
    const config = appProvider<JourneylineConfig>(this.moduleRef, JOURNEYLINE_CONFIG);
    const readModels = appProvider<ReadModelDatabase>(this.moduleRef, READ_MODEL_DATABASE);
    const bounded = Boolean(query.window || query.from || query.to);
    const window = bounded ? windowFrom(query, config) : null;
    const result = await latestComments(readModels.reader, {
      touchpoint,
      from: window?.from ?? '0000',
      to: window?.to ?? '9999',
      limit: query.limit ?? 20,
      maxScan: MAX_SCAN,
    });
    return { touchpoint, window, ...result };
  }
}
