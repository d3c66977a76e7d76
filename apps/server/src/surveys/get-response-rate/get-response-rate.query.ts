import { Query } from '@nestjs/cqrs';
import type { DayWindow, ReplayStatement, SqlExecutor, SurveyResponseRate } from '@journeyline/projections';

/** `asOf` when asked as of a past moment: the links and answers as recorded by then (replayed). */
export type ResponseRateAnswer = SurveyResponseRate & { window: { from: string; to: string }; asOf?: ReplayStatement };

/** Links of one survey sent in the window, and how many were answered; null for an unknown survey. */
export class GetResponseRateQuery extends Query<ResponseRateAnswer | null> {
  constructor(
    readonly surveyId: string,
    readonly window: DayWindow,
    /** The survey links and answers as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
