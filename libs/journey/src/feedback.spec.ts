import type { CustomerCommand, RecordFeedback } from './customer-commands';
import { given } from '@journeyline/journey/testing/given-when-then';
import { at, visited } from '@journeyline/journey/testing/journey-fixtures';

const feedback = (data: Partial<RecordFeedback['data']>): CustomerCommand => ({
  type: 'RecordFeedback',
  eventId: 'f1',
  customerId: 'c-1',
  occurredAt: at(2),
  data: { kind: 'nps', score: 9, scale: '0-10', ...data } as RecordFeedback['data'],
});

describe('feedback and its scales', () => {
  it('an NPS answer on 0-10 is recorded with the touchpoint and stage given', () => {
    given()
      .when(feedback({ touchpoint: 'hotline', channel: 'phone', stage: 'use', comment: 'Nhân viên hỗ trợ nhanh' }))
      .then({
        type: 'FeedbackGiven',
        eventId: 'f1',
        occurredAt: at(2),
        data: { kind: 'nps', score: 9, scale: '0-10', touchpoint: 'hotline', channel: 'phone', stage: 'use', comment: 'Nhân viên hỗ trợ nhanh' },
      });
  });

  it('feedback without a stage takes the stage the customer was in when answering', () => {
    given(visited('e1', 'choice', at(1)))
      .when(feedback({ kind: 'csat', score: 4, scale: '1-5' }))
      .then({ type: 'FeedbackGiven', eventId: 'f1', occurredAt: at(2), data: { kind: 'csat', score: 4, scale: '1-5', stage: 'choice' } });
  });

  it.each([
    ['nps', 0, '0-10'],
    ['nps', 10, '0-10'],
    ['csat', 1, '1-5'],
    ['csat', 7, '1-7'],
    ['csat', 10, '1-10'],
    ['csat', true, 'yes-no'],
    ['csat', false, 'yes-no'],
    ['ces', 1, '1-5'],
    ['ces', 7, '1-7'],
  ] as const)('%s score %p on %s is accepted', (kind, score, scale) => {
    given()
      .when(feedback({ kind, score, scale }))
      .then({ type: 'FeedbackGiven', eventId: 'f1', occurredAt: at(2), data: { kind, score, scale } });
  });

  it.each([
    ['nps', 11, '0-10'],
    ['nps', -1, '0-10'],
    ['nps', 7.5, '0-10'],
    ['csat', 0, '1-5'],
    ['csat', 6, '1-5'],
    ['csat', 8, '1-7'],
    ['csat', 11, '1-10'],
    ['csat', 1, 'yes-no'],
    ['ces', 0, '1-7'],
    ['ces', 6, '1-5'],
    ['ces', true, '1-5'],
  ] as const)('%s score %p on %s breaks feedback-score-outside-scale', (kind, score, scale) => {
    given().when(feedback({ kind, score, scale })).thenThrows('feedback-score-outside-scale');
  });

  it.each([
    ['nps', '1-5'],
    ['nps', 'yes-no'],
    ['ces', '1-10'],
    ['ces', 'yes-no'],
    ['csat', '0-10'],
  ] as const)('%s on scale %s breaks feedback-scale-not-allowed', (kind, scale) => {
    given()
      .when(feedback({ kind, score: 1, scale }))
      .thenThrows('feedback-scale-not-allowed');
  });
});
