import { kafkaEventId } from './kafka-event-id';

describe('the eventId of a message sent without one', () => {
  it('is its coordinates, the same on every delivery', () => {
    expect(kafkaEventId('journey.events', 3, '1042')).toBe('kafka/journey.events/3/1042');
    expect(kafkaEventId('journey.events', 3, '1042')).toBe(kafkaEventId('journey.events', 3, '1042'));
  });

  it('is hashed to fit the 128-character eventId limit for very long topic names', () => {
    const long = 't'.repeat(249);
    const id = kafkaEventId(long, 0, '1');
    expect(id).toMatch(/^kafka\/[0-9a-f]{48}$/);
    expect(id).not.toBe(kafkaEventId(long, 0, '2'));
  });
});
