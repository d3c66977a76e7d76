/**
 * What `/health` says about the followers of the log: ok only while none is failing, none has
 * parked events, none lags by more than JOURNEYLINE_HEALTH_MAX_LAG and the store takes writes;
 * otherwise degraded, with one reason per problem that names who and says what to do.
 */
import type { EventStoreHealth } from '@journeyline/event-store';
import { assessFollowers, type FollowerState, type RunnerState } from './follower-health';
import type { ParkedEvent, ParkedSummary } from './parked-events';

const MAX_LAG = 10;
const store = (position: number, writable?: { writable: boolean; writeDetail?: string }): EventStoreHealth => ({
  store: 'sqlite',
  position,
  ok: true,
  ...writable,
});
const follower = (name: string, position: number): FollowerState => ({ name, position });
const healthy = (name: string): RunnerState => ({ name, lastFailure: null });
const parkedEvent = (component: string, position: number, eventId: string, error: string): ParkedEvent => ({
  component,
  position,
  eventId,
  streamId: 'customer-c-1',
  type: 'TouchpointVisited',
  error,
  parkedAt: '2026-11-20T02:00:00.000Z',
});

/** given(the store, its followers, runners and parked events).whenAssessed() */
function given(input: { store?: EventStoreHealth; followers?: FollowerState[]; runners?: RunnerState[]; parked?: ParkedSummary[] }) {
  return {
    whenAssessed: () =>
      assessFollowers({
        store: input.store ?? store(100),
        followers: input.followers ?? [],
        runners: input.runners ?? [healthy('projector')],
        parked: input.parked ?? [],
        maxLag: MAX_LAG,
      }),
  };
}

describe('follower health', () => {
  describe('lag', () => {
    it('given a follower exactly JOURNEYLINE_HEALTH_MAX_LAG events behind the log, when assessed, then health is ok with no reasons', () => {
      const health = given({ store: store(100), followers: [follower('journey-map', 90), follower('churn-risk', 100)] }).whenAssessed();
      expect(health).toEqual({ status: 'ok', reasons: [], storeWritable: true, parked: [], failing: [] });
    });

    it('given a follower one event more behind than the limit, when assessed, then health is degraded with a reason naming the follower, its lag and the limit', () => {
      const health = given({ store: store(100), followers: [follower('journey-map', 100), follower('kafka-outbound', 89)] }).whenAssessed();
      expect(health.status).toBe('degraded');
      expect(health.reasons).toEqual(['kafka-outbound lags the log by 11 events (more than JOURNEYLINE_HEALTH_MAX_LAG=10)']);
    });

    it('given a follower ahead of the position the store reported (an append raced the read), when assessed, then it does not lag', () => {
      expect(given({ store: store(100), followers: [follower('journey-map', 130)] }).whenAssessed().status).toBe('ok');
    });
  });

  describe('failing followers', () => {
    it('given a runner whose passes keep failing, when assessed, then health is degraded naming it, since when and its latest error', () => {
      const since = new Date('2026-11-20T02:00:00.000Z');
      const health = given({
        runners: [healthy('projector'), { name: 'churn-risk', lastFailure: { error: 'SqliteError: database is locked', since } }],
      }).whenAssessed();
      expect(health.status).toBe('degraded');
      expect(health.failing).toEqual([{ component: 'churn-risk', since: '2026-11-20T02:00:00.000Z', error: 'SqliteError: database is locked' }]);
      expect(health.reasons).toEqual(['churn-risk has been failing since 2026-11-20T02:00:00.000Z: SqliteError: database is locked; it retries on its own']);
    });
  });

  describe('parked events', () => {
    it('given a projection with parked events, when assessed, then health is degraded naming it, the count, the latest event with its error, and retry-parked', () => {
      const latest = parkedEvent('journey-map', 42, 'p-constructor', 'malformed TouchpointVisited: data.touchpoint must be a non-empty string');
      const parked: ParkedSummary[] = [{ component: 'journey-map', count: 2, latest: [latest, parkedEvent('journey-map', 7, 'p-old', 'older')] }];
      const health = given({ parked, followers: [follower('journey-map', 100)] }).whenAssessed();
      expect(health.status).toBe('degraded');
      expect(health.parked).toEqual(parked);
      expect(health.reasons).toEqual([
        'journey-map has 2 parked event(s) (latest p-constructor at position 42: malformed TouchpointVisited: data.touchpoint must be a non-empty string); ' +
          'fix the cause, then run `journeyline retry-parked`',
      ]);
    });

    it('given a component whose summary lists no event (only a count), when assessed, then it is still degraded with the count', () => {
      const health = given({ parked: [{ component: 'kafka-outbound', count: 3, latest: [] }] }).whenAssessed();
      expect(health.status).toBe('degraded');
      expect(health.reasons).toEqual(['kafka-outbound has 3 parked event(s); fix the cause, then run `journeyline retry-parked`']);
    });
  });

  describe('the store', () => {
    it('given a store that takes no writes, when assessed, then health is degraded with storeWritable false and the reason', () => {
      const health = given({ store: store(100, { writable: false, writeDetail: 'SQLITE_FULL: database or disk is full' }) }).whenAssessed();
      expect(health).toMatchObject({ status: 'degraded', storeWritable: false });
      expect(health.reasons).toEqual(['the event store takes no writes: SQLITE_FULL: database or disk is full; ingestion answers 503 until it does']);
    });

    it('given a store that cannot tell whether it takes writes, when assessed, then it counts as writable', () => {
      expect(given({ store: store(100) }).whenAssessed()).toMatchObject({ status: 'ok', storeWritable: true });
    });
  });

  it('given several problems at once, when assessed, then each has its own reason: store, parked, failing, lag', () => {
    const health = given({
      store: store(500, { writable: false }),
      followers: [follower('journey-map', 400)],
      runners: [{ name: 'projector', lastFailure: { error: 'boom', since: new Date('2026-11-20T00:00:00.000Z') } }],
      parked: [{ component: 'cx-metrics', count: 1, latest: [parkedEvent('cx-metrics', 3, 'p-score', 'bad score')] }],
    }).whenAssessed();
    expect(health.status).toBe('degraded');
    expect(health.reasons.map((r) => r.split(' ').slice(0, 3).join(' '))).toEqual([
      'the event store',
      'cx-metrics has 1',
      'projector has been',
      'journey-map lags the',
    ]);
  });
});
