import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { AlertView } from '@journeyline/projections';
import { Requires } from '../../access/requires.decorator';
import { ListAlertsQuery } from './list-alerts.query';
import { ListAlertsQueryDto } from './list-alerts.request.dto';

/**
 * GET /api/v1/alerts?status=open|closed (read): breaches of targets, newest first, each with the
 * target, the metric of its scope when it opened (value, interval, answers) and, once closed,
 * when, why (`recovered`, `target-removed`) and on what reading.
 */
@Controller('api/v1/alerts')
@Requires('read')
export class ListAlertsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  list(@Query() query: ListAlertsQueryDto): Promise<{ items: AlertView[] }> {
    return this.queryBus.execute(new ListAlertsQuery(query.status));
  }
}
