import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SurveyCatalog, type Survey } from '@journeyline/surveys';
import { ListSurveysQuery } from './list-surveys.query';

@QueryHandler(ListSurveysQuery)
export class ListSurveysHandler implements IQueryHandler<ListSurveysQuery, { items: Survey[] }> {
  constructor(private readonly catalog: SurveyCatalog) {}

  async execute(): Promise<{ items: Survey[] }> {
    return { items: await this.catalog.list() };
  }
}
