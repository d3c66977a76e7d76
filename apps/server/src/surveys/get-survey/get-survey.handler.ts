import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SurveyCatalog } from '@journeyline/surveys';
import { GetSurveyQuery, type SurveyWithVersions } from './get-survey.query';

@QueryHandler(GetSurveyQuery)
export class GetSurveyHandler implements IQueryHandler<GetSurveyQuery, SurveyWithVersions | null> {
  constructor(private readonly catalog: SurveyCatalog) {}

  async execute({ surveyId }: GetSurveyQuery): Promise<SurveyWithVersions | null> {
    const versions = await this.catalog.history(surveyId);
    if (versions.length === 0) return null;
    return { ...versions[versions.length - 1], versions };
  }
}
