import type { Score } from '@journeyline/journey';
import type { Survey } from '@journeyline/surveys';

/**
 * One answer to a survey, from its page or from another tool: recorded as a `feedback.given` of
 * the survey's metric and scale, at its touchpoint, channel and stage, naming the survey, the
 * version whose wording was answered and the link it came through. A score-less answer (other
 * tools only) is a `comment` at the survey's touchpoint.
 */
export class RecordSurveyAnswerCommand {
  constructor(
    readonly survey: Survey,
    readonly answer: { customerId: string; score?: Score; comment?: string; linkId?: string; eventId?: string },
  ) {}
}

export interface SurveyAnswerRecorded {
  eventId: string;
  customerId: string;
  surveyId: string;
  version: number;
  linkId?: string;
  position: number;
  /** The eventId was recorded before (the same answer sent again): nothing new was written. */
  duplicate: boolean;
}

/** The link took its answer longer ago than the replacement window (JOURNEYLINE_SURVEY_REPLACE_MINUTES). */
export class SurveyLinkAnsweredError extends Error {
  constructor(readonly linkId: string) {
    super(`survey link ${linkId} has been answered; each link takes one answer`);
    this.name = 'SurveyLinkAnsweredError';
  }
}
