import type { StoredEvent } from '@journeyline/event-store';
import { OUTBOUND_HEADERS, outboundMessageOf } from './outbound-messages';

const topics = { stageChanges: 'journey.stage-changes', churnFlags: 'journey.churn-flags' };
const stored = (type: string, data: Record<string, unknown>, eventId = 'e-1:stage'): StoredEvent => ({
  eventId,
  type,
  data,
  streamId: 'customer-c-1042',
  revision: 3,
  position: 77,
  occurredAt: '2026-11-20T02:15:00.000Z',
  recordedAt: '2026-11-20T02:15:01.000Z',
});

describe('outbound messages', () => {
  it('a stage change goes to journey.stage-changes, keyed by customer, with its eventId and position in headers', () => {
    const message = outboundMessageOf(
      stored('StageEntered', { stage: 'use', from: 'purchase', timeInPreviousStageMs: 3_600_000, causationId: 'e-1' }),
      topics,
    )!;
    expect(message.topic).toBe('journey.stage-changes');
    expect(message.key).toBe('c-1042');
    expect(JSON.parse(message.value)).toEqual({
      eventId: 'e-1:stage',
      type: 'stage.entered',
      customerId: 'c-1042',
      occurredAt: '2026-11-20T02:15:00.000Z',
      recordedAt: '2026-11-20T02:15:01.000Z',
      position: 77,
      data: { stage: 'use', from: 'purchase', timeInPreviousStageMs: 3_600_000, causationId: 'e-1' },
    });
    expect(message.headers).toEqual({
      [OUTBOUND_HEADERS.eventId]: 'e-1:stage',
      [OUTBOUND_HEADERS.type]: 'stage.entered',
      [OUTBOUND_HEADERS.position]: '77',
      'content-type': 'application/json',
    });
  });

  it('regressions, flags and clears are published; facts are not', () => {
    expect(outboundMessageOf(stored('StageRegressed', { stage: 'evaluation', from: 'purchase' }), topics)?.topic).toBe('journey.stage-changes');
    expect(outboundMessageOf(stored('ChurnRiskFlagged', { rule: 'ticket-open-too-long', evidence: ['t-1'] }, 'churn-risk:c-1042:r:k'), topics)?.topic).toBe(
      'journey.churn-flags',
    );
    expect(JSON.parse(outboundMessageOf(stored('ChurnRiskCleared', { rule: 'r' }, 'x:cleared'), topics)!.value).type).toBe('churn-risk.cleared');
    for (const fact of ['TouchpointVisited', 'FeedbackGiven', 'PurchaseMade', 'CustomerProfiled']) {
      expect(outboundMessageOf(stored(fact, {}, 'f-1'), topics)).toBeNull();
    }
  });
});
