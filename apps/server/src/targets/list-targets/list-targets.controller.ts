import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Target } from '@journeyline/journey';
import { Requires } from '../../access/requires.decorator';
import { ListTargetsQuery } from './list-targets.query';

/** GET /api/v1/targets (read): every target in force, by metric and scope (targets are few: one page). */
@Controller('api/v1/targets')
@Requires('read')
export class ListTargetsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  list(): Promise<{ items: Target[] }> {
    return this.queryBus.execute(new ListTargetsQuery());
  }
}
