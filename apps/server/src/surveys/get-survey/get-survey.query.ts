import { Query } from '@nestjs/cqrs';
import type { Survey } from '@journeyline/surveys';

export type SurveyWithVersions = Survey & { versions: Survey[] };

/** A survey at its latest version with every version it had; null when there is none. */
export class GetSurveyQuery extends Query<SurveyWithVersions | null> {
  constructor(readonly surveyId: string) {
    super();
  }
}
