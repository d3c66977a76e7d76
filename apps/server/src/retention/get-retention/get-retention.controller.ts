import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { retentionPeriod } from '../retention-period';
import { GetRetentionQuery } from './get-retention.query';
import { RetentionQueryDto } from './get-retention.request.dto';

/** GET /api/v1/retention?period=|window=: customers at start, new, at end, lost; retention and churn rates. */
@Controller('api/v1/retention')
export class GetRetentionController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get()
  async retention(@Query() query: RetentionQueryDto) {
    const { from, to } = retentionPeriod(query, this.config);
    return this.queryBus.execute(new GetRetentionQuery(from, to));
  }
}
