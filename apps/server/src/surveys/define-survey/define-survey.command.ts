import type { Actor } from '@journeyline/access';

/** A new survey, or a new version of the one its `surveyId` names (the body is checked by the catalog, field by field). */
export class DefineSurveyCommand {
  constructor(
    readonly body: Record<string, unknown>,
    readonly actor: Actor,
  ) {}
}

export interface SurveyDefinedAnswer {
  surveyId: string;
  version: number;
}
