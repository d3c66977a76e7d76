import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { ChangeChurnRulesCommand, type ChurnRulesChangedAnswer } from './change-churn-rules.command';

/**
 * PUT /api/v1/definitions/churn-rules (admin) `{"rules": [...]}` (or a bare list), the shape of a
 * JOURNEYLINE_CHURN_RULES file → the version in force with `changed`; 400 naming each bad field
 * (`rules[1].days`), as a rules file is checked at start. `[]` turns the flags off.
 */
@Controller('api/v1/definitions')
@Requires('admin')
export class ChangeChurnRulesController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put('churn-rules')
  @HttpCode(200)
  change(@Body() body: unknown, @Principal() principal: Who): Promise<ChurnRulesChangedAnswer> {
    return this.commandBus.execute(new ChangeChurnRulesCommand(body, actorOf(principal)));
  }
}
