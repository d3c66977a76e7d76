import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Target } from '@journeyline/journey';
import { TargetBook } from '@journeyline/platform';
import { ListTargetsQuery } from './list-targets.query';

@QueryHandler(ListTargetsQuery)
export class ListTargetsHandler implements IQueryHandler<ListTargetsQuery, { items: Target[] }> {
  constructor(private readonly targets: TargetBook) {}

  async execute(): Promise<{ items: Target[] }> {
    return { items: await this.targets.list() };
  }
}
