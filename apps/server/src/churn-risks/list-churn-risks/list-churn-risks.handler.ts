import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { countChurnRisksByRule, listChurnRisks, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { describeEvidence } from './churn-evidence';
import { ListChurnRisksQuery, type ChurnRisksPage } from './list-churn-risks.query';

@QueryHandler(ListChurnRisksQuery)
export class ListChurnRisksHandler implements IQueryHandler<ListChurnRisksQuery> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The page from the read model; what the evidence events were, from the page's customers' streams (a page's worth, never the whole log). */
  async execute({ query }: ListChurnRisksQuery): Promise<ChurnRisksPage> {
    const page = await listChurnRisks(this.db.reader, query);
    return { ...page, byRule: await countChurnRisksByRule(this.db.reader), evidence: await describeEvidence(this.store, page.items) };
  }
}
