import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { ChangeMetricDefinitionsCommand, type MetricDefinitionsChangedAnswer } from './change-metric-definitions.command';

/**
 * PUT /api/v1/definitions/metrics (admin) `{"nps": {"promoterMin", "detractorMax"}, "csat":
 * {"satisfiedMin": {"1-5", "1-7", "1-10"}}, "ces": {"easyMin": {...}, "hardMax": {...}},
 * "minSample", "timeZone"}`, any of them (the rest keep their value) → the version in force with
 * `changed`. The body is nested by scale, so the domain checks it and names every bad field
 * (`csat.satisfiedMin.1-5`): 400; another time zone than the day buckets' is a 409.
 */
@Controller('api/v1/definitions')
@Requires('admin')
export class ChangeMetricDefinitionsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put('metrics')
  @HttpCode(200)
  change(@Body() body: unknown, @Principal() principal: Who): Promise<MetricDefinitionsChangedAnswer> {
    return this.commandBus.execute(new ChangeMetricDefinitionsCommand(body, actorOf(principal)));
  }
}
