import type { IssuedLink } from '@journeyline/surveys';

/** Make a signed link to a survey for a customer. */
export class IssueSurveyLinkCommand {
  constructor(
    readonly surveyId: string,
    readonly request: { customerId: string; lang?: 'vi' | 'en'; ttlDays?: number; orderId?: string; ticketId?: string },
  ) {}
}

/** `{url: "/s/<token>", token, linkId, surveyId, version, expiresAt}`. */
export type SurveyLinkAnswer = Omit<IssuedLink, 'position'>;
