import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Requires } from '../../access/requires.decorator';
import { ListChurnRulesQuery } from './list-churn-rules.query';

/**
 * GET /api/v1/definitions/churn-rules (read) → `{version, rules, items}`: the rules in force and
 * every version oldest first. `GET /api/v1/churn-risks?rulesVersion=N` evaluates any of them.
 */
@Controller('api/v1/definitions')
@Requires('read')
export class ListChurnRulesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('churn-rules')
  list() {
    return this.queryBus.execute(new ListChurnRulesQuery());
  }
}
