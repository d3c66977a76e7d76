import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Requires } from '../../access/requires.decorator';
import { ListMetricDefinitionsQuery } from './list-metric-definitions.query';

/**
 * GET /api/v1/definitions/metrics (read) → `{version, parameters, items}`: the version in force,
 * its parameters, and every version oldest first with who changed it, from where
 * (`configuration` at a start, or `api`) and when. Any metric read takes `definitionsVersion=N`.
 */
@Controller('api/v1/definitions')
@Requires('read')
export class ListMetricDefinitionsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('metrics')
  list() {
    return this.queryBus.execute(new ListMetricDefinitionsQuery());
  }
}
