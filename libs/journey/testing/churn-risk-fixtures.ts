import type { Scale } from '@journeyline/journey/feedback-scales';
import type { JourneyEvent } from '@journeyline/journey/journey-events';
import type { Stage } from '@journeyline/journey/stages';
import { churnRiskClearedEventId, churnRiskEpisodeId } from '@journeyline/journey/churn-risk/churn-risk-decider';
import type { ChurnRiskEvent } from '@journeyline/journey/churn-risk/churn-risk-decider';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey/churn-risk/churn-rules-config';
import { churnRuleReason } from '@journeyline/journey/churn-risk/churn-rules';

/** Builders for churn-risk specs: one customer, `c-1`, and the default rules unless told. */
export { at } from './journey-fixtures';

const fact = (type: JourneyEvent['type'], eventId: string, occurredAt: string, data: object) => ({ type, eventId, occurredAt, data }) as JourneyEvent;

export const CUSTOMER = 'c-1';

export const nps = (eventId: string, score: number, when: string): JourneyEvent =>
  fact('FeedbackGiven', eventId, when, { kind: 'nps', score, scale: '0-10', touchpoint: 'email:survey', channel: 'email' });

export const ces = (eventId: string, score: number, when: string, scale: Scale = '1-7'): JourneyEvent =>
  fact('FeedbackGiven', eventId, when, { kind: 'ces', score, scale, touchpoint: 'hotline', channel: 'phone' });

export const visit = (eventId: string, stage: Stage, when: string, touchpoint = `tp-${stage}`): JourneyEvent =>
  fact('TouchpointVisited', eventId, when, { touchpoint, channel: 'web', stage });

export const ticketOpened = (eventId: string, ticketId: string, when: string): JourneyEvent =>
  fact('TicketOpened', eventId, when, { ticketId, touchpoint: 'hotline', channel: 'phone' });

export const ticketResolved = (eventId: string, ticketId: string, openedAt: string, when: string): JourneyEvent =>
  fact('TicketResolved', eventId, when, { ticketId, openedAt, resolutionMs: Date.parse(when) - Date.parse(openedAt) });

export const purchase = (eventId: string, when: string): JourneyEvent =>
  fact('PurchaseMade', eventId, when, { orderId: `order-${eventId}`, amount: 990_000, currency: 'VND' });

export const profiled = (eventId: string, when: string): JourneyEvent => fact('CustomerProfiled', eventId, when, { segment: 'SME' });

export const churned = (eventId: string, when: string): JourneyEvent => ({ type: 'CustomerChurned', eventId, occurredAt: when, data: {} });

export const reactivated = (eventId: string, when: string): JourneyEvent => ({ type: 'CustomerReactivated', eventId, occurredAt: when, data: {} });

const reasonOf = (ruleId: string) => churnRuleReason(DEFAULT_CHURN_RULES.find((r) => r.id === ruleId) ?? DEFAULT_CHURN_RULES[0]);

/** The flag the default rule `ruleId` raises; its key is the first evidence id unless told. */
export const flagged = (ruleId: string, evidence: string[], when: string, key = evidence[0], reason = reasonOf(ruleId)): ChurnRiskEvent => {
  const episodeId = churnRiskEpisodeId(CUSTOMER, ruleId, key);
  return { type: 'ChurnRiskFlagged', eventId: episodeId, occurredAt: when, data: { rule: ruleId, reason, evidence, episodeId } };
};

export const cleared = (ruleId: string, key: string, when: string, reason: string): ChurnRiskEvent => {
  const episodeId = churnRiskEpisodeId(CUSTOMER, ruleId, key);
  return { type: 'ChurnRiskCleared', eventId: churnRiskClearedEventId(episodeId), occurredAt: when, data: { rule: ruleId, reason, episodeId } };
};
