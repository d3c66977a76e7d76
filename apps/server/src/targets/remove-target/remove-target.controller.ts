import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { RemoveTargetCommand } from './remove-target.command';
import { TargetIdParamsDto } from './target-id.params.dto';

/** DELETE /api/v1/targets/:targetId (admin) → `{targetId, removed: true}`; 404 when there is no such target. */
@Controller('api/v1/targets')
@Requires('admin')
export class RemoveTargetController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete(':targetId')
  remove(@Param() params: TargetIdParamsDto, @Principal() principal: Who): Promise<{ targetId: string; removed: true }> {
    return this.commandBus.execute(new RemoveTargetCommand(params.targetId, actorOf(principal)));
  }
}
