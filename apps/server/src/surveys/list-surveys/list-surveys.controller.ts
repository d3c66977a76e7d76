import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Survey } from '@journeyline/surveys';
import { Requires } from '../../access/requires.decorator';
import { ListSurveysQuery } from './list-surveys.query';

/** GET /api/v1/surveys (admin): every survey at its latest version, by id (surveys are few: one page). */
@Controller('api/v1/surveys')
@Requires('admin')
export class ListSurveysController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  list(): Promise<{ items: Survey[] }> {
    return this.queryBus.execute(new ListSurveysQuery());
  }
}
