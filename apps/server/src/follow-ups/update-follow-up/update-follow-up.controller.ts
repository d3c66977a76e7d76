import { Body, Controller, HttpCode, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { FollowUpIdParamsDto } from '../follow-up-id.params.dto';
import { UpdateFollowUpCommand } from './update-follow-up.command';
import { followUpChangeOf } from './update-follow-up.request';

/**
 * PATCH /api/v1/follow-ups/:id (admin) `{"assignee"}` | `{"note"}` | `{"resolve": {"outcome"}}`
 * (several at once are applied in that order) → the follow-up as it now is. 400 names the field,
 * 404 for no such follow-up, 409 once it is resolved. Notes and outcomes may name the customer or
 * what they said: they are sealed with the customer's data key, as comments are.
 */
@Controller('api/v1/follow-ups')
@Requires('admin')
export class UpdateFollowUpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch(':id')
  @HttpCode(200)
  update(@Param() params: FollowUpIdParamsDto, @Body() body: unknown, @Principal() principal: Who) {
    return this.commandBus.execute(new UpdateFollowUpCommand(params.id, followUpChangeOf(body), actorOf(principal)));
  }
}
