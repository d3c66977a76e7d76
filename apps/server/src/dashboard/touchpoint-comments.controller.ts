import { Controller, Get, Param, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { latestComments, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { windowFrom } from '../http/query-window';
import { WindowQueryDto } from '../metrics/metrics.request.dto';
import { appProvider } from './app-providers';

export class TouchpointCommentsQueryDto extends WindowQueryDto {
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' }) @Min(1) @Max(100) limit?: number;
}

/**
 * GET /api/v1/touchpoints/:touchpoint/comments?limit=&window=|from=&to=&tz=: the latest feedback
 * comments given at a touchpoint (newest first by occurredAt), with the customer who gave each.
 * Without a window it looks at all time. `scanned` (rows read) and `complete` (always true: the
 * comments have their own index) are kept for clients of the first version, which scanned.
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
    const items = await latestComments(readModels.reader, { touchpoint, from: new Date(window?.from ?? 0), to: new Date(window?.to ?? 8.64e15), limit: query.limit ?? 20 });
    return { touchpoint, window, items, scanned: items.length, complete: true };
  }
}
