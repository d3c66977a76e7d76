import type { JourneyEvent, RecordedJourneyEvent } from './journey-events';
import { buildJourney } from './journey-view';
import { at, DAY, HOUR, visited } from '@journeyline/journey/testing/journey-fixtures';

const recorded = (...events: JourneyEvent[]): RecordedJourneyEvent[] => events.map((e, revision) => ({ ...e, revision }));

describe('journey view', () => {
  it('an unknown customer has no journey', () => {
    expect(buildJourney('c-0', [], new Date())).toBeNull();
  });

  it('lists stage stays with entered and left times, durations and their touchpoints', () => {
    const journey = buildJourney(
      'c-1',
      recorded(
        visited('a1', 'awareness', at(1), 'facebook-ad', 'social'),
        visited('a2', 'awareness', at(2), 'web:blog'),
        visited('v1', 'evaluation', at(3), 'web:pricing'),
        { type: 'PurchaseMade', eventId: 'p1', occurredAt: at(4), data: { orderId: 'o-1', amount: 990000, currency: 'VND' } },
      ),
      new Date(at(6)),
    )!;
    expect(journey.currentStage).toBe('purchase');
    expect(journey.currentStageLabel).toEqual({ en: 'Purchase', vi: 'Mua hàng' });
    expect(journey.stages.map((s) => [s.stage, s.enteredAt, s.leftAt, s.durationMs, s.direction])).toEqual([
      ['awareness', at(1), at(3), 2 * DAY, 'start'],
      ['evaluation', at(3), at(4), DAY, 'forward'],
      ['purchase', at(4), null, 2 * DAY, 'forward'],
    ]);
    expect(journey.stages[0].touchpoints.map((t) => t.touchpoint)).toEqual(['facebook-ad', 'web:blog']);
    expect(journey.stages[0].label.vi).toBe('Nhận biết');
    expect(journey.purchases).toEqual([{ eventId: 'p1', at: at(4), orderId: 'o-1', amount: 990000, currency: 'VND' }]);
  });

  it('orders a late event by when it happened, ties by arrival', () => {
    const journey = buildJourney(
      'c-1',
      recorded(
        visited('a1', 'awareness', at(1)),
        visited('p1', 'purchase', at(10)),
        visited('v1', 'evaluation', at(3)), // arrives late
        visited('v2', 'choice', at(3)), // same instant, arrives later: ties after v1
      ),
      new Date(at(11)),
    )!;
    expect(journey.stages.map((s) => s.stage)).toEqual(['awareness', 'evaluation', 'choice', 'purchase']);
    expect(journey.stages[1].durationMs).toBe(0);
    expect(journey.firstSeenAt).toBe(at(1));
    expect(journey.lastSeenAt).toBe(at(10));
  });

  it('lists churn-risk episodes with the rules version that raised and cleared each (none before rules were versioned)', () => {
    const flagged = (episodeId: string, day: number, rulesVersion?: number): JourneyEvent => ({
      type: 'ChurnRiskFlagged',
      eventId: `f-${episodeId}`,
      occurredAt: at(day),
      data: { rule: 'no-visit-30d', reason: 'no visit for 30 days', evidence: ['v1'], episodeId, ...(rulesVersion !== undefined ? { rulesVersion } : {}) },
    });
    const cleared = (episodeId: string, day: number, rulesVersion?: number): JourneyEvent => ({
      type: 'ChurnRiskCleared',
      eventId: `c-${episodeId}`,
      occurredAt: at(day),
      data: { rule: 'no-visit-30d', reason: 'visited again', episodeId, ...(rulesVersion !== undefined ? { rulesVersion } : {}) },
    });
    const journey = buildJourney(
      'c-1',
      recorded(visited('v1', 'use', at(1)), flagged('old', 2), cleared('old', 3), flagged('e1', 40, 2), cleared('e1', 41, 3), flagged('e2', 50, 3)),
      new Date(at(51)),
    )!;
    expect(
      journey.churnRisks.map(({ episodeId, clearedAt, rulesVersion, clearedRulesVersion }) => ({ episodeId, clearedAt, rulesVersion, clearedRulesVersion })),
    ).toEqual([
      { episodeId: 'old', clearedAt: at(3), rulesVersion: undefined, clearedRulesVersion: undefined },
      { episodeId: 'e1', clearedAt: at(41), rulesVersion: 2, clearedRulesVersion: 3 },
      { episodeId: 'e2', clearedAt: null, rulesVersion: 3, clearedRulesVersion: undefined },
    ]);
    expect('rulesVersion' in journey.churnRisks[0]).toBe(false);
  });

  it('shows a regression as a backward stay', () => {
    const journey = buildJourney('c-1', recorded(visited('u1', 'use', at(1)), visited('e1', 'evaluation', at(2))), new Date(at(2)))!;
    expect(journey.stages.map((s) => [s.stage, s.direction])).toEqual([
      ['use', 'start'],
      ['evaluation', 'backward'],
    ]);
    expect(journey.currentStage).toBe('evaluation');
  });

  it('collects feedback, tickets with their status, the merged portrait and churn', () => {
    const journey = buildJourney(
      'c-1',
      recorded(
        { type: 'CustomerProfiled', eventId: 'pr1', occurredAt: at(1), data: { segment: 'SME', region: 'HCM' } },
        { type: 'CustomerProfiled', eventId: 'pr2', occurredAt: at(2), data: { region: 'Đà Nẵng' } },
        { type: 'TicketOpened', eventId: 't1', occurredAt: at(3), data: { ticketId: 'T-1', touchpoint: 'hotline', channel: 'phone' } },
        { type: 'TicketResolved', eventId: 't2', occurredAt: at(3, 11), data: { ticketId: 'T-1', openedAt: at(3), resolutionMs: 2 * HOUR } },
        { type: 'TicketOpened', eventId: 't3', occurredAt: at(4), data: { ticketId: 'T-2' } },
        { type: 'FeedbackGiven', eventId: 'f1', occurredAt: at(5), data: { kind: 'nps', score: 3, scale: '0-10', comment: 'Chờ lâu quá' } },
        { type: 'CustomerChurned', eventId: 'ch1', occurredAt: at(6), data: { reason: 'price' } },
      ),
      new Date(at(7)),
    )!;
    expect(journey.profile).toEqual({ segment: 'SME', region: 'Đà Nẵng' });
    expect(journey.tickets.map((t) => [t.ticketId, t.status, t.resolutionMs])).toEqual([
      ['T-1', 'resolved', 2 * HOUR],
      ['T-2', 'open', null],
    ]);
    expect(journey.feedback).toEqual([{ eventId: 'f1', at: at(5), kind: 'nps', score: 3, scale: '0-10', comment: 'Chờ lâu quá' }]);
    expect(journey.churn).toEqual({ churned: true, churnedAt: at(6), reason: 'price', reactivatedAt: null });
    expect(journey.currentStage).toBeNull();
  });
});
