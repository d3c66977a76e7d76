import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { emptyResponseRate, READ_MODEL_DATABASE, surveyResponseRates, type ReadModelDatabase } from '@journeyline/projections';
import { SurveyCatalog } from '@journeyline/surveys';
import { GetResponseRateQuery, type ResponseRateAnswer } from './get-response-rate.query';

/** From the survey-responses read model: links sent in the window, answered whenever. */
@QueryHandler(GetResponseRateQuery)
export class GetResponseRateHandler implements IQueryHandler<GetResponseRateQuery, ResponseRateAnswer | null> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly catalog: SurveyCatalog,
  ) {}

  async execute({ surveyId, window, readModels }: GetResponseRateQuery): Promise<ResponseRateAnswer | null> {
    if (!(await this.catalog.get(surveyId))) return null;
    const [rate] = await surveyResponseRates(readModels ?? this.db.reader, { from: window.from, to: window.to, surveyId });
    return { ...(rate ?? emptyResponseRate(surveyId)), window: { from: window.from, to: window.to } };
  }
}
