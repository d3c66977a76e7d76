import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { RegisterTouchpointCommand, type TouchpointRegisteredAnswer } from './register-touchpoint.command';

/**
 * PUT /api/v1/touchpoints/:touchpoint (admin) `{"names": {"vi", "en"}, "channel", "stage", "owner",
 * "experienceType": "sense" | "feel" | "think" | "act" | "relate"}` → the definition with its
 * `version` (1 at first, the next on each change; the same body again is not a change). The body
 * has nested names, so it is checked by the catalog's own rules (libs/journey), which name every
 * bad field (`names.vi`), as survey definitions are.
 */
@Controller('api/v1/touchpoints')
@Requires('admin')
export class RegisterTouchpointController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put(':touchpoint')
  @HttpCode(200)
  register(@Param('touchpoint') touchpoint: string, @Body() body: unknown, @Principal() principal: Who): Promise<TouchpointRegisteredAnswer> {
    return this.commandBus.execute(new RegisterTouchpointCommand(touchpoint, body, actorOf(principal)));
  }
}
