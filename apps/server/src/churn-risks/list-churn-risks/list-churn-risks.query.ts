import { Query } from '@nestjs/cqrs';
import type { ChurnRiskListQuery, countChurnRisksByRule, listChurnRisks } from '@journeyline/projections';
import type { EvidenceEvent } from './churn-evidence';

/** A page of flagged customers (each flag's evidence described), and how many customers each rule flags. */
export type ChurnRisksPage = Awaited<ReturnType<typeof listChurnRisks>> & {
  byRule: Awaited<ReturnType<typeof countChurnRisksByRule>>;
  /** The evidence events of the page, by event id. */
  evidence: Map<string, EvidenceEvent>;
};

export class ListChurnRisksQuery extends Query<ChurnRisksPage> {
  constructor(readonly query: ChurnRiskListQuery) {
    super();
  }
}
