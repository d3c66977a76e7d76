import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import type { Target } from '@journeyline/journey';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { SetTargetCommand } from './set-target.command';
import { SetTargetRequestDto } from './set-target.request.dto';

/**
 * POST /api/v1/targets (admin) `{"metric", "touchpoint"? | "owner"?, "min"? | "max"?}` → 201
 * `{targetId, metric, scope, min | max}`. Neither touchpoint nor owner: a target for the whole
 * company. Higher-is-better metrics take `min` (CSAT ≥ 80: `{"metric": "csat", "min": 80}`), TTR
 * takes `max` in hours (`{"metric": "ttr", "max": 4}`). A second target for the same metric and
 * scope replaces the first.
 */
@Controller('api/v1/targets')
@Requires('admin')
export class SetTargetController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  set(@Body() body: SetTargetRequestDto, @Principal() principal: Who): Promise<Target> {
    const { metric, touchpoint, owner, min, max } = body;
    return this.commandBus.execute(new SetTargetCommand({ metric, touchpoint, owner, min, max }, actorOf(principal)));
  }
}
