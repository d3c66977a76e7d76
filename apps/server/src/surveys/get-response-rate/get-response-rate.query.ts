import { Query } from '@nestjs/cqrs';
import type { DayWindow, SurveyResponseRate } from '@journeyline/projections';

export type ResponseRateAnswer = SurveyResponseRate & { window: { from: string; to: string } };

/** Links of one survey sent in the window, and how many were answered; null for an unknown survey. */
export class GetResponseRateQuery extends Query<ResponseRateAnswer | null> {
  constructor(
    readonly surveyId: string,
    readonly window: DayWindow,
  ) {
    super();
  }
}
