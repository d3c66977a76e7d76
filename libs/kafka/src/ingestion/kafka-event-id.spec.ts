import { isDerivedEventId } from '@journeyline/journey';
import { kafkaEventId } from './kafka-event-id';

describe('the eventId of a message sent without one', () => {
  it('is its coordinates, the same on every delivery', () => {
    expect(kafkaEventId('journey.events', 3, '1042')).toBe('kafka journey.events 3 1042');
    expect(kafkaEventId('journey.events', 3, '1042')).toBe(kafkaEventId('journey.events', 3, '1042'));
  });

  it('is in the derived namespace, which no client eventId can reach', () => {
    expect(isDerivedEventId(kafkaEventId('journey.events', 0, '1'))).toBe(true);
    expect(kafkaEventId('journey.events', 0, '12')).not.toBe(kafkaEventId('journey.events', 1, '2'));
  });
});
