import { foldCustomer } from './customer-state';
import { isDerivedEventId } from './derived-ids';
import type { CustomerErased, JourneyEvent, RecordedJourneyEvent } from './journey-events';
import { buildJourney } from './journey-view';
import { decideErasure, erasureEventId, personalFieldsOf } from './personal-fields';
import { asJourneyEvent } from './stored-events';
import { at, visited } from '@journeyline/journey/testing/journey-fixtures';

/** given(events).whenErasing(customer, at).then(events): the erasure rule as the business states it. */
function given(...history: JourneyEvent[]) {
  return {
    whenErasing(customerId: string, when: string) {
      return {
        then(...expected: CustomerErased[]) {
          expect(decideErasure(customerId, foldCustomer(history), new Date(when))).toEqual(expected);
        },
      };
    },
  };
}

const erased = (customerId: string, when: string): CustomerErased => ({
  type: 'CustomerErased',
  eventId: erasureEventId(customerId),
  occurredAt: when,
  data: {},
});
const profiled = (eventId: string, when: string): JourneyEvent => ({
  type: 'CustomerProfiled',
  eventId,
  occurredAt: when,
  data: { segment: 'SME', name: 'jl1.0123456789abcdef.sealed' },
});
const recorded = (...events: JourneyEvent[]): RecordedJourneyEvent[] => events.map((e, revision) => ({ ...e, revision }));

describe('erasure', () => {
  it('a known customer is erased once, with an id derived from the customer', () => {
    given(visited('e1', 'evaluation', at(1)), profiled('p1', at(2)))
      .whenErasing('c-1', at(9))
      .then(erased('c-1', at(9)));
  });

  it('the erasure id is in the derived namespace (it has a space), one per customer', () => {
    expect(erasureEventId('c-1')).toContain(' ');
    expect(isDerivedEventId(erasureEventId('c-1'))).toBe(true);
    expect(erasureEventId('c-1')).toBe(erasureEventId('c-1'));
    expect(erasureEventId('c-2')).not.toBe(erasureEventId('c-1'));
    expect(erasureEventId('c 1')).not.toBe(erasureEventId('c-1'));
  });

  it('a customer the log does not know is not erased', () => {
    given().whenErasing('c-unknown', at(9)).then();
  });

  it('a customer already erased is not erased again', () => {
    given(visited('e1', 'evaluation', at(1)), erased('c-1', at(9)))
      .whenErasing('c-1', at(12))
      .then();
  });

  it('the fold remembers the erasure', () => {
    expect(foldCustomer([visited('e1', 'evaluation', at(1))]).erased).toBe(false);
    expect(foldCustomer([visited('e1', 'evaluation', at(1)), erased('c-1', at(9))]).erased).toBe(true);
  });

  it('personal portrait fields a deployment declares are personal fields of a profile only', () => {
    expect(personalFieldsOf('CustomerProfiled')).toEqual(['name', 'email', 'phone']);
    expect(personalFieldsOf('CustomerProfiled', ['gender'])).toEqual(['name', 'email', 'phone', 'gender']);
    expect(personalFieldsOf('FeedbackGiven', ['gender'])).toEqual(['comment']);
    expect(personalFieldsOf('TouchpointVisited', ['gender'])).toEqual([]);
    expect(personalFieldsOf('toString')).toEqual([]);
  });

  describe('the journey of an erased customer', () => {
    it('is marked erased, and the erasure is not counted as one of its events', () => {
      const journey = buildJourney('c-1', recorded(visited('e1', 'evaluation', at(1)), profiled('p1', at(2)), erased('c-1', at(9))), new Date(at(10)))!;
      expect(journey.erased).toBe(true);
      expect(journey.eventCount).toBe(2);
      expect(journey.currentStage).toBe('evaluation');
    });

    it('is not marked erased before an erasure', () => {
      const journey = buildJourney('c-1', recorded(visited('e1', 'evaluation', at(1))), new Date(at(10)))!;
      expect(journey.erased).toBe(false);
      expect(journey.eventCount).toBe(1);
    });

    it('keeps the dates of the journey: the erasure is not a sighting of the customer', () => {
      const journey = buildJourney('c-1', recorded(visited('e1', 'evaluation', at(1)), profiled('p1', at(2)), erased('c-1', at(9))), new Date(at(10)))!;
      expect(journey.firstSeenAt).toBe(at(1));
      expect(journey.lastSeenAt).toBe(at(2));
    });
  });

  describe('a stored CustomerErased', () => {
    const stored = { type: 'CustomerErased', eventId: erasureEventId('c-1'), occurredAt: at(9), data: {}, revision: 4, streamId: 'customer-c-1' };

    it('reads as a domain event', () => {
      expect(asJourneyEvent(stored)).toEqual({ ok: true, event: stored });
    });

    it('reads without fields a later version may add', () => {
      const check = asJourneyEvent({ ...stored, data: { requestedBy: 'ops' } });
      expect(check.ok && check.event.data).toEqual({});
    });

    it('with no instant is malformed, not unknown', () => {
      expect(asJourneyEvent({ ...stored, occurredAt: 'yesterday' })).toEqual({ ok: false, reason: expect.stringContaining('occurredAt'), knownType: true });
    });
  });
});
