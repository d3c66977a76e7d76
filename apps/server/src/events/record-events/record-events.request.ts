import { badRequest, problem } from '../../http/problem';
import { BadRequestException } from '@nestjs/common';

export const MAX_BATCH = 1000;

/**
 * The body of `POST /api/v1/events/batch`: `{"events": [...]}` with 1 to 1,000 events and nothing
 * else. Each event is then validated by the shared wire format (the parser names every bad event
 * by index), which class-validator DTOs on the envelope could not do as well.
 */
export function batchEvents(body: unknown): unknown[] {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  const events = isObject && Object.prototype.hasOwnProperty.call(body, 'events') ? (body as { events: unknown }).events : undefined;
  const unknownKeys = isObject ? Object.keys(body).filter((k) => k !== 'events') : [];
  if (!Array.isArray(events) || unknownKeys.length > 0) {
    const reason = Array.isArray(events) ? `unknown field(s) ${unknownKeys.slice(0, 10).join(', ')}` : 'events must be an array of events';
    throw new BadRequestException(problem(400, 'the body must be {"events": [...]} and nothing else; nothing was stored', [{ field: 'events', reason }]));
  }
  if (events.length === 0 || events.length > MAX_BATCH) {
    throw badRequest('events', `a batch holds 1 to ${MAX_BATCH} events, this one has ${events.length}; split it; nothing was stored`);
  }
  return events;
}
