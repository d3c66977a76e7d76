/**
 * A link was made for a customer: what response rates count as sent. One event per link in the
 * stream `journeyline-survey-links` (its eventId is the link id, so issuing is idempotent), holding
 * no personal data but the customer id: the answer itself goes to the customer's stream.
 */
export const SURVEY_LINKS_STREAM = 'journeyline-survey-links';
export const SURVEY_LINK_ISSUED = 'SurveyLinkIssued';

export interface SurveyLinkIssued {
  linkId: string;
  surveyId: string;
  /** The survey's version when the link was made. */
  version: number;
  customerId: string;
  touchpoint: string;
  channel: string;
  issuedAt: string;
}

/** The record's data read by own property, or null when it is not one. */
export function readSurveyLinkIssued(data: unknown): SurveyLinkIssued | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(data, key) ? (data as Record<string, unknown>)[key] : undefined);
  const text = (key: string) => {
    const value = own(key);
    return typeof value === 'string' && value.length > 0 && value.length <= 1000 ? value : null;
  };
  const [linkId, surveyId, customerId, touchpoint, channel, issuedAt] = ['linkId', 'surveyId', 'customerId', 'touchpoint', 'channel', 'issuedAt'].map(text);
  const version = own('version');
  if (!linkId || !surveyId || !customerId || !touchpoint || !channel || !issuedAt || Number.isNaN(Date.parse(issuedAt))) return null;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return null;
  return { linkId, surveyId, version, customerId, touchpoint, channel, issuedAt: new Date(issuedAt).toISOString() };
}
