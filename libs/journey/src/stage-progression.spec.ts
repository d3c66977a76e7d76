import { given } from '@journeyline/journey/testing/given-when-then';
import { at, DAY, entered, HOUR, visitCmd, visited } from '@journeyline/journey/testing/journey-fixtures';

describe('stage progression', () => {
  it('a first touchpoint enters its stage from nowhere', () => {
    given()
      .when(visitCmd('e1', 'awareness', at(1), 'facebook-ad', 'social'))
      .then(visited('e1', 'awareness', at(1), 'facebook-ad', 'social'), entered('e1', 'awareness', null, at(1), null, 'facebook-ad'));
  });

  it('a touchpoint at a later stage enters it, naming the stage left and the time spent there', () => {
    given(visited('e1', 'awareness', at(1)))
      .when(visitCmd('e2', 'evaluation', at(3), 'web:pricing'))
      .then(visited('e2', 'evaluation', at(3), 'web:pricing'), entered('e2', 'evaluation', 'awareness', at(3), 2 * DAY, 'web:pricing'));
  });

  it('a touchpoint in the current stage is only a visit', () => {
    given(visited('e1', 'evaluation', at(1)))
      .when(visitCmd('e2', 'evaluation', at(2)))
      .then(visited('e2', 'evaluation', at(2)));
  });

  it('skipping stages is allowed: the stage left is the one the customer was in', () => {
    given(visited('e1', 'awareness', at(1)))
      .when(visitCmd('e2', 'purchase', at(1, 12), 'store:hcm-q1', 'store'))
      .then(visited('e2', 'purchase', at(1, 12), 'store:hcm-q1', 'store'), entered('e2', 'purchase', 'awareness', at(1, 12), 3 * HOUR, 'store:hcm-q1'));
  });

  it('a touchpoint at an earlier stage is recorded as a regression, not ignored', () => {
    given(visited('e1', 'awareness', at(1)), visited('e2', 'use', at(5)))
      .when(visitCmd('e3', 'evaluation', at(6), 'web:compare'))
      .then(visited('e3', 'evaluation', at(6), 'web:compare'), {
        type: 'StageRegressed',
        eventId: 'stage e3',
        occurredAt: at(6),
        data: { stage: 'evaluation', from: 'use', timeInPreviousStageMs: DAY, causationId: 'e3', touchpoint: 'web:compare' },
      });
  });

  it('time in a stage counts from when the stage was entered, not from the last visit in it', () => {
    given(visited('e1', 'awareness', at(1)), visited('e2', 'awareness', at(4)))
      .when(visitCmd('e3', 'choice', at(5)))
      .then(visited('e3', 'choice', at(5)), entered('e3', 'choice', 'awareness', at(5), 4 * DAY, 'tp-choice'));
  });

  it('a late visit is judged at the time it happened, not when it arrived', () => {
    // The customer reached purchase on day 10; a visit from day 3 arrives afterwards.
    given(visited('e1', 'awareness', at(1)), visited('e2', 'purchase', at(10)))
      .when(visitCmd('e3', 'evaluation', at(3)))
      .then(visited('e3', 'evaluation', at(3)), entered('e3', 'evaluation', 'awareness', at(3), 2 * DAY, 'tp-evaluation'));
  });

  it('a late visit before everything known is a first contact', () => {
    given(visited('e1', 'evaluation', at(5)))
      .when(visitCmd('e0', 'awareness', at(2)))
      .then(visited('e0', 'awareness', at(2)), entered('e0', 'awareness', null, at(2), null, 'tp-awareness'));
  });

  it('a visit at the same instant as a known one ties after it (arrival order)', () => {
    given(visited('e1', 'awareness', at(1)))
      .when(visitCmd('e2', 'choice', at(1)))
      .then(visited('e2', 'choice', at(1)), entered('e2', 'choice', 'awareness', at(1), 0, 'tp-choice'));
  });

  it('custom properties of a visit are kept', () => {
    given(visited('e1', 'awareness', at(1)))
      .when({
        type: 'RecordTouchpointVisit',
        eventId: 'e2',
        customerId: 'c-1',
        occurredAt: at(2),
        data: { touchpoint: 'web:home', channel: 'web', stage: 'awareness', properties: { utm_source: 'zalo' } },
      })
      .then({
        type: 'TouchpointVisited',
        eventId: 'e2',
        occurredAt: at(2),
        data: { touchpoint: 'web:home', channel: 'web', stage: 'awareness', properties: { utm_source: 'zalo' } },
      });
  });
});
