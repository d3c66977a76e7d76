import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { countChurnRisksByRule, listChurnRisks, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { ListChurnRisksQuery } from './list-churn-risks.query';

@QueryHandler(ListChurnRisksQuery)
export class ListChurnRisksHandler implements IQueryHandler<ListChurnRisksQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  async execute({ rule, limit, after }: ListChurnRisksQuery) {
    const page = await listChurnRisks(this.db.reader, { rule, limit, after });
    return { ...page, byRule: await countChurnRisksByRule(this.db.reader) };
  }
}
