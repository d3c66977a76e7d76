import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal as Who } from '@journeyline/access';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { MergeCustomersCommand, type MergeAnswer } from './merge-customers.command';
import { MergeCustomersRequestDto } from './merge-customers.request.dto';

/**
 * POST /api/v1/customers/merge and /unmerge (admin) `{"from", "into"}`: two ids are one person
 * (their journeys, the customer list, the funnel and retention count them once), or no longer are
 * (each back exactly as if never merged).
 */
@Controller('api/v1/customers')
@Requires('admin')
export class MergeCustomersController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('merge')
  @HttpCode(200)
  merge(@Body() body: MergeCustomersRequestDto, @Principal() principal: Who): Promise<MergeAnswer> {
    return this.commandBus.execute(new MergeCustomersCommand(body.from, body.into, false, actorOf(principal)));
  }

  @Post('unmerge')
  @HttpCode(200)
  unmerge(@Body() body: MergeCustomersRequestDto, @Principal() principal: Who): Promise<MergeAnswer> {
    return this.commandBus.execute(new MergeCustomersCommand(body.from, body.into, true, actorOf(principal)));
  }
}
