import type { EventStore } from '@journeyline/event-store';
import type { SurveyCatalog } from './survey-catalog';
import { SURVEY_LINK_ISSUED, SURVEY_LINKS_STREAM, type SurveyLinkIssued } from './survey-link-issued';
import type { SurveyLinkSigner } from './survey-links';

export interface LinkRequest {
  customerId: string;
  lang?: 'vi' | 'en';
  ttlDays: number;
  orderId?: string;
  ticketId?: string;
}

export interface IssuedLink {
  /** `/s/<token>`, or absolute under `publicUrl`. */
  url: string;
  token: string;
  linkId: string;
  surveyId: string;
  version: number;
  expiresAt: string;
  /** Where `SurveyLinkIssued` was appended (the server wakes its projections with it). */
  position: number;
}

/**
 * Makes a signed link to the survey's latest version for a customer, and records it as sent
 * (`SurveyLinkIssued`: survey, version, touchpoint, channel, the customer id; nothing personal
 * beyond it). The token itself is not stored: it is checked by its signature. The server's link
 * endpoint and `journeyline survey link` both issue through here. Null for an unknown survey.
 */
export async function issueSurveyLink(
  deps: { store: EventStore; catalog: SurveyCatalog; signer: SurveyLinkSigner },
  surveyId: string,
  request: LinkRequest,
  options: { publicUrl: string | null; now?: Date },
): Promise<IssuedLink | null> {
  const survey = await deps.catalog.get(surveyId);
  if (!survey) return null;
  const now = options.now ?? new Date();
  const { token, link } = await deps.signer.sign(
    {
      surveyId,
      customerId: request.customerId,
      lang: request.lang ?? null,
      ...(request.orderId ? { orderId: request.orderId } : {}),
      ...(request.ticketId ? { ticketId: request.ticketId } : {}),
    },
    request.ttlDays,
    now,
  );
  const issued: SurveyLinkIssued = {
    linkId: link.id,
    surveyId,
    version: survey.version,
    customerId: request.customerId,
    touchpoint: survey.touchpoint,
    channel: survey.channel,
    issuedAt: now.toISOString(),
  };
  const appended = await deps.store.append([
    {
      streamId: SURVEY_LINKS_STREAM,
      expectedRevision: 'any',
      events: [{ eventId: link.id, type: SURVEY_LINK_ISSUED, occurredAt: issued.issuedAt, data: { ...issued } }],
    },
  ]);
  const path = `/s/${token}`;
  return {
    url: options.publicUrl ? `${options.publicUrl}${path}` : path,
    token,
    linkId: link.id,
    surveyId,
    version: survey.version,
    expiresAt: new Date(link.expiresAt * 1000).toISOString(),
    position: appended.events[0].position,
  };
}
