/**
 * Reading what older versions stored: churn-risk episode ids from before derived ids had their
 * own namespace (`churn-risk:<customer>:<rule>:<key>`) are read as today's id, so a flag raised
 * before an upgrade is recognised after it. Only ChurnRiskFlagged and ChurnRiskCleared carry an
 * episode id; the stored event itself (its eventId, the log) is never rewritten.
 */
import { churnRiskClearedEventId, churnRiskEpisodeId } from './churn-risk/churn-risk-decider';
import { isDerivedEventId } from './derived-ids';
import { asJourneyEvent, type StoredFact } from './stored-events';

const RULE = 'ticket-open-too-long';
const at = '2026-11-20T02:00:00.000Z';

const flagged = (episodeId: string, streamId = 'customer-c-1'): StoredFact => ({
  type: 'ChurnRiskFlagged',
  eventId: episodeId,
  occurredAt: at,
  data: { rule: RULE, reason: 'ticket open for 3 days', evidence: ['t-1'], episodeId },
  revision: 4,
  streamId,
  position: 40,
});
const cleared = (episodeId: string, streamId = 'customer-c-1'): StoredFact => ({
  type: 'ChurnRiskCleared',
  eventId: `cleared-${episodeId}`,
  occurredAt: at,
  data: { rule: RULE, reason: 'ticket resolved', episodeId },
  revision: 5,
  streamId,
  position: 41,
});

/** given(a stored event).whenRead().thenEpisodeId(id): the episode id a reader of the log sees. */
function given(stored: StoredFact) {
  return {
    whenRead() {
      const checked = asJourneyEvent(stored);
      if (!checked.ok) throw new Error(`expected ${stored.eventId} to read: ${checked.reason}`);
      const event = checked.event;
      return {
        thenEpisodeId(expected: string) {
          expect(event.data).toMatchObject({ episodeId: expected });
          expect(event.eventId).toBe(stored.eventId); // the log keeps what it stored
          return event;
        },
      };
    },
  };
}

describe('stored events: churn-risk episode ids from before derived ids', () => {
  it('given a ChurnRiskFlagged stored with an old-format episode id, when read, then the episode id is the one churnRiskEpisodeId derives today', () => {
    const event = given(flagged('churn-risk:c-1:ticket-open-too-long:t-1'))
      .whenRead()
      .thenEpisodeId(churnRiskEpisodeId('c-1', RULE, 't-1'));
    expect(event.data).toMatchObject({ episodeId: 'churn-risk c-1 ticket-open-too-long t-1' });
    expect(isDerivedEventId((event.data as { episodeId: string }).episodeId)).toBe(true);
  });

  it('given a ChurnRiskCleared stored with an old-format episode id, when read, then it names the same episode as the upcast flag, and its clear id is today’s', () => {
    const event = given(cleared('churn-risk:c-1:ticket-open-too-long:t-1'))
      .whenRead()
      .thenEpisodeId(churnRiskEpisodeId('c-1', RULE, 't-1'));
    expect(churnRiskClearedEventId((event.data as { episodeId: string }).episodeId)).toBe('churn-risk-cleared c-1 ticket-open-too-long t-1');
  });

  it('given an old-format id whose key held colons, when read, then the whole rest after customer and rule is the key', () => {
    given(flagged('churn-risk:c-1:ticket-open-too-long:t:1'))
      .whenRead()
      .thenEpisodeId(churnRiskEpisodeId('c-1', RULE, 't:1'));
  });

  it('given an old-format id of a customer whose id has a space, when read, then the new id escapes it as derived ids do', () => {
    given(flagged('churn-risk:ana maria:ticket-open-too-long:t-1', 'customer-ana maria'))
      .whenRead()
      .thenEpisodeId('churn-risk ana%20maria ticket-open-too-long t-1');
  });

  it('given a new-format episode id, when read, then it passes unchanged', () => {
    const id = churnRiskEpisodeId('c-1', RULE, 't-1', 2);
    given(flagged(id)).whenRead().thenEpisodeId(id);
    given(cleared(id)).whenRead().thenEpisodeId(id);
  });

  it('given an old-looking id of another customer or another rule than the event’s, when read, then it is left as stored (no guess)', () => {
    given(flagged('churn-risk:c-2:ticket-open-too-long:t-1')).whenRead().thenEpisodeId('churn-risk:c-2:ticket-open-too-long:t-1');
    given(flagged('churn-risk:c-1:detractor-without-use:t-1')).whenRead().thenEpisodeId('churn-risk:c-1:detractor-without-use:t-1');
  });

  it('given an old-format id on an event read without its stream, when read, then it is left as stored (the customer is unknown)', () => {
    const { streamId: _stream, ...withoutStream } = flagged('churn-risk:c-1:ticket-open-too-long:t-1');
    given(withoutStream).whenRead().thenEpisodeId('churn-risk:c-1:ticket-open-too-long:t-1');
  });

  it('given a client id that merely starts like an old episode on another event type, when read, then nothing is upcast (only churn-risk events carry episodes)', () => {
    const visit: StoredFact = {
      type: 'TouchpointVisited',
      eventId: 'churn-risk:c-1:ticket-open-too-long:t-1',
      occurredAt: at,
      data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation', episodeId: 'churn-risk:c-1:ticket-open-too-long:t-1' },
      revision: 1,
      streamId: 'customer-c-1',
    };
    const checked = asJourneyEvent(visit);
    expect(checked).toMatchObject({ ok: true, event: { eventId: visit.eventId, data: { touchpoint: 'web:pricing' } } });
    expect(checked.ok && 'episodeId' in checked.event.data).toBe(false);
  });
});
