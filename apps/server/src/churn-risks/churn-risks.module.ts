import { Module } from '@nestjs/common';
import { ListChurnRisksController } from './list-churn-risks/list-churn-risks.controller';
import { ListChurnRisksHandler } from './list-churn-risks/list-churn-risks.handler';
import { EvaluateChurnRisksHandler } from './evaluate-churn-risks/evaluate-churn-risks.handler';

export const QueryHandlers = [ListChurnRisksHandler, EvaluateChurnRisksHandler];

/** Customers flagged as churn risks, with the rule, the reason and the evidence. */
@Module({ controllers: [ListChurnRisksController], providers: [...QueryHandlers] })
export class ChurnRisksModule {}
