import { Query } from '@nestjs/cqrs';
import type { DayWindow, SurveyResponseRate } from '@journeyline/projections';

export interface ResponseRatesAnswer {
  window: { from: string; to: string };
  items: SurveyResponseRate[];
}

/** Every survey's response rate over the window (a survey with nothing sent or answered answers zeros). */
export class ListResponseRatesQuery extends Query<ResponseRatesAnswer> {
  constructor(readonly window: DayWindow) {
    super();
  }
}
