import { Query } from '@nestjs/cqrs';
import type { ChurnRiskCursor, countChurnRisksByRule, listChurnRisks } from '@journeyline/projections';

/** A page of flagged customers, and how many customers each rule flags. */
export type ChurnRisksPage = Awaited<ReturnType<typeof listChurnRisks>> & { byRule: Awaited<ReturnType<typeof countChurnRisksByRule>> };

export class ListChurnRisksQuery extends Query<ChurnRisksPage> {
  constructor(
    readonly rule: string | undefined,
    readonly limit: number,
    readonly after: ChurnRiskCursor | undefined,
  ) {
    super();
  }
}
