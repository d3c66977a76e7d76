import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { emptyResponseRate, READ_MODEL_DATABASE, surveyResponseRates, type ReadModelDatabase } from '@journeyline/projections';
import { SurveyCatalog } from '@journeyline/surveys';
import { ListResponseRatesQuery, type ResponseRatesAnswer } from './list-response-rates.query';

@QueryHandler(ListResponseRatesQuery)
export class ListResponseRatesHandler implements IQueryHandler<ListResponseRatesQuery, ResponseRatesAnswer> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly catalog: SurveyCatalog,
  ) {}

  async execute({ window, readModels }: ListResponseRatesQuery): Promise<ResponseRatesAnswer> {
    const rates = new Map((await surveyResponseRates(readModels ?? this.db.reader, { from: window.from, to: window.to })).map((r) => [r.surveyId, r]));
    const items = (await this.catalog.list()).map((survey) => rates.get(survey.surveyId) ?? emptyResponseRate(survey.surveyId));
    return { window: { from: window.from, to: window.to }, items };
  }
}
