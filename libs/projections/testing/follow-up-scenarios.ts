import type { EventStore } from '@journeyline/event-store';
import { followUpIdOf, type CustomerCommand } from '@journeyline/journey';
import { FollowUpProcess } from '@journeyline/projections/follow-ups/follow-up.process';
import { FollowUpsProjection } from '@journeyline/projections/follow-ups/follow-ups.projection';
import { JourneyMapProjection } from '@journeyline/projections/journey-map/journey-map.projection';
import { followUpStatsOf, listFollowUps, openFollowUpCustomers } from '@journeyline/projections/follow-ups/follow-ups.queries';
import { Projector } from '@journeyline/projections/runtime/projector';
import type { ReadModelDatabase } from '@journeyline/projections/runtime/sql-executor';

/** Answers and scenarios for the follow-up specs, shared by the SQLite and the PostgreSQL ones. */
export const at = (hour: number) => new Date(Date.UTC(2026, 10, 20, hour)).toISOString();

/** The processes' clock in these scenarios: the day after the answers (answers older than 30 days by it open nothing). */
export const clock = () => new Date(Date.UTC(2026, 10, 21));

export const WINDOW = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };

export const feedback = (
  eventId: string,
  customerId: string,
  kind: 'nps' | 'ces' | 'review',
  score: number,
  hour: number,
  linkId?: string,
): CustomerCommand => ({
  type: 'RecordFeedback',
  eventId,
  customerId,
  occurredAt: at(hour),
  data: {
    kind,
    score,
    scale: kind === 'nps' ? '0-10' : kind === 'ces' ? '1-7' : '1-5',
    touchpoint: 'hotline',
    channel: 'phone',
    ...(linkId ? { survey: { surveyId: 'nps-hotline', version: 1, linkId }, replaceWithinMs: 86_400_000 } : {}),
  },
});

/** Opened, resolved by a person 4 hours after the answer, answered again better: the stats from the read model, the same on both databases. */
export async function resolvedAndAnsweredAgain(h: { store: EventStore; record(c: CustomerCommand[]): Promise<unknown> }, db: ReadModelDatabase) {
  await h.record([feedback('r1', 'c-1', 'nps', 3, 1), feedback('r2', 'c-2', 'ces', 1, 2)]);
  await new FollowUpProcess(h.store, db, { clock }).catchUp();
  const followUpId = followUpIdOf('r1');
  await h.store.append([
    {
      streamId: followUpId,
      expectedRevision: 0,
      events: [{ eventId: 'res-1', type: 'FollowUpResolved', occurredAt: at(5), data: { followUpId, outcome: 'called back', by: 'lan' } }],
    },
  ]);
  await h.record([feedback('r3', 'c-1', 'nps', 9, 6)]);
  await new Projector(h.store, db, [new JourneyMapProjection(h.store, 'UTC'), new FollowUpsProjection()]).catchUp();
  expect(await followUpStatsOf(db.reader, WINDOW)).toEqual({
    opened: 2,
    resolved: 1,
    withdrawn: 0,
    followUpRate: 50,
    medianHoursToFollowUp: 4,
    p90HoursToFollowUp: 4,
    nextAnswer: { sameTouchpoint: { answeredAgain: 1, improved: 1, improvedRate: 100 }, anyTouchpoint: { answeredAgain: 1, improved: 1, improvedRate: 100 } },
  });
  expect(await openFollowUpCustomers(db.reader)).toEqual(['c-2']);
  expect((await listFollowUps(db.reader, { limit: 10, status: 'resolved' })).items.map((i) => i.outcome)).toEqual(['called back']);
}
