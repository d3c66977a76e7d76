import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ChurnRulesRegistry } from '@journeyline/projections';
import { churnRulesEntry } from '../definitions-answers';
import { ListChurnRulesQuery } from './list-churn-rules.query';

@QueryHandler(ListChurnRulesQuery)
export class ListChurnRulesHandler implements IQueryHandler<ListChurnRulesQuery> {
  constructor(private readonly registry: ChurnRulesRegistry) {}

  async execute() {
    const items = (await this.registry.history()).map(churnRulesEntry);
    const current = items[items.length - 1];
    return { version: current.version, rules: current.rules, items };
  }
}
