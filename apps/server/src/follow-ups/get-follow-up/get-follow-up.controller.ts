import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Requires } from '../../access/requires.decorator';
import { FollowUpIdParamsDto } from '../follow-up-id.params.dto';
import { unknownFollowUp } from '../unknown-follow-up';
import { GetFollowUpQuery } from './get-follow-up.query';

/** GET /api/v1/follow-ups/:id → the follow-up with its notes (opened for reading; null where the customer was erased). */
@Controller('api/v1/follow-ups')
@Requires('read')
export class GetFollowUpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  async get(@Param() params: FollowUpIdParamsDto) {
    const followUp = await this.queryBus.execute(new GetFollowUpQuery(params.id));
    if (!followUp) throw unknownFollowUp(params.id);
    return followUp;
  }
}
