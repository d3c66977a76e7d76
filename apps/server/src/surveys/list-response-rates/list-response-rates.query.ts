import { Query } from '@nestjs/cqrs';
import type { DayWindow, ReplayStatement, SqlExecutor, SurveyResponseRate } from '@journeyline/projections';

export interface ResponseRatesAnswer {
  window: { from: string; to: string };
  /** Present when asked `asOf`: the links and answers as recorded by then (replayed). */
  asOf?: ReplayStatement;
  items: SurveyResponseRate[];
}

/** Every survey's response rate over the window (a survey with nothing sent or answered answers zeros). */
export class ListResponseRatesQuery extends Query<ResponseRatesAnswer> {
  constructor(
    readonly window: DayWindow,
    /** The survey links and answers as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
