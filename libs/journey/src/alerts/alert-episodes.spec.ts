/** Breaches and recoveries: an alert opens when the interval says so, closes on recovery, once per episode. */
import { alertClosedEventId, alertId, alertOpenedEventId, type AlertEvent } from './alert-events';
import { decideAlerts, type TargetReading } from './alert-decider';
import type { MetricReading } from './breach-rule';
import type { Target } from './targets';

const WINDOW = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
const AT = '2026-11-30T10:00:00.000Z';
const LATER = '2026-12-02T10:00:00.000Z';
const CSAT_80: Target = { targetId: 't-csat', metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, min: 80 };
const TTR_4H: Target = { targetId: 't-ttr', metric: 'ttr', scope: { kind: 'all', value: null }, max: 4 };

const reading = (value: number, low: number, high: number, n: number): MetricReading => ({ value, low, high, n });

function given(...history: AlertEvent[]) {
  return {
    whenEvaluated(readings: TargetReading[], at = AT) {
      const decided = decideAlerts(history, { readings, window: WINDOW, at });
      return {
        then(...expected: { type: AlertEvent['type']; eventId: string; reason?: string }[]) {
          expect(decided.map((e) => ({ type: e.type, eventId: e.eventId, ...('reason' in e.data ? { reason: e.data.reason } : {}) }))).toEqual(expected);
        },
        decided,
      };
    },
  };
}

/** The first breach of a target, as the decider writes it. */
const opened = (target: Target): AlertEvent => decideAlerts([], { readings: [{ target, reading: reading(20, 10, 35, 60) }], window: WINDOW, at: AT })[0];
const closedAfter = (target: Target): AlertEvent =>
  decideAlerts([opened(target)], { readings: [{ target, reading: reading(90, 80, 95, 60) }], window: WINDOW, at: LATER })[0];

describe('alerts: breach episodes', () => {
  it('few answers below the target: the interval still reaches it, no alert', () => {
    given()
      .whenEvaluated([{ target: CSAT_80, reading: reading(66.7, 20.8, 93.9, 3) }])
      .then();
  });

  it('clearly below the target (the whole interval under it): one alert', () => {
    given()
      .whenEvaluated([{ target: CSAT_80, reading: reading(20, 11.8, 31.7, 60) }])
      .then({ type: 'AlertOpened', eventId: alertOpenedEventId('t-csat', 1) });
  });

  it('a max target (TTR ≤ 4 h) breaches when the whole interval is above it', () => {
    given()
      .whenEvaluated([{ target: TTR_4H, reading: reading(9, 6.5, 11.5, 40) }])
      .then({ type: 'AlertOpened', eventId: alertOpenedEventId('t-ttr', 1) });
    given()
      .whenEvaluated([{ target: TTR_4H, reading: reading(3, 2, 4.5, 40) }])
      .then();
  });

  it('the same input again adds nothing: one open alert per target', () => {
    given(opened(CSAT_80))
      .whenEvaluated([{ target: CSAT_80, reading: reading(20, 11.8, 31.7, 60) }])
      .then();
  });

  it('still below the target but the interval reaches it again: the alert stays open (no flapping)', () => {
    given(opened(CSAT_80))
      .whenEvaluated([{ target: CSAT_80, reading: reading(72, 60, 83, 70) }])
      .then();
  });

  it('recovery (the value back at or above the target): one recovery, then nothing more', () => {
    given(opened(CSAT_80))
      .whenEvaluated([{ target: CSAT_80, reading: reading(81, 72, 88, 120) }], LATER)
      .then({ type: 'AlertClosed', eventId: alertClosedEventId('t-csat', 1), reason: 'recovered' });
    given(opened(CSAT_80), closedAfter(CSAT_80))
      .whenEvaluated([{ target: CSAT_80, reading: reading(81, 72, 88, 120) }], LATER)
      .then();
  });

  it('a new breach after a recovery is the next episode, with its own id', () => {
    given(opened(CSAT_80), closedAfter(CSAT_80))
      .whenEvaluated([{ target: CSAT_80, reading: reading(20, 11.8, 31.7, 60) }], LATER)
      .then({ type: 'AlertOpened', eventId: alertOpenedEventId('t-csat', 2) });
  });

  it('a window without answers changes nothing: recovery has to be shown by answers', () => {
    given(opened(CSAT_80))
      .whenEvaluated([{ target: CSAT_80, reading: null }])
      .then();
  });

  it('a target removed while breached closes its alert', () => {
    given(opened(CSAT_80))
      .whenEvaluated([])
      .then({ type: 'AlertClosed', eventId: alertClosedEventId('t-csat', 1), reason: 'target-removed' });
  });

  it('deciding twice gives byte-identical events (a replay or a second process appends nothing new)', () => {
    const readings = [{ target: CSAT_80, reading: reading(20, 11.8, 31.7, 60) }];
    expect(given().whenEvaluated(readings).decided).toEqual(given().whenEvaluated(readings).decided);
  });

  it('an alert says what was judged: metric, scope, value, interval, answers, target', () => {
    const [event] = given().whenEvaluated([{ target: CSAT_80, reading: reading(20, 11.8, 31.7, 60) }]).decided;
    expect(event.data).toEqual({
      alertId: alertId('t-csat', 1),
      targetId: 't-csat',
      metric: 'csat',
      scope: { kind: 'touchpoint', value: 'hotline' },
      value: 20,
      low: 11.8,
      high: 31.7,
      n: 60,
      target: 80,
      bound: 'min',
      window: WINDOW,
      at: AT,
      episode: 1,
    });
    expect(event.data.alertId).toContain(' ');
  });
});
