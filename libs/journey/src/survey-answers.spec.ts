import type { CustomerCommand, RecordFeedback } from './customer-commands';
import type { JourneyEvent } from './journey-events';
import { buildJourney } from './journey-view';
import { given } from '@journeyline/journey/testing/given-when-then';
import { at, HOUR } from '@journeyline/journey/testing/journey-fixtures';

const answer = (eventId: string, occurredAt: string, data: Partial<RecordFeedback['data']>): CustomerCommand => ({
  type: 'RecordFeedback',
  eventId,
  customerId: 'c-1',
  occurredAt,
  data: { kind: 'nps', score: 9, scale: '0-10', ...data } as RecordFeedback['data'],
});
const survey = { surveyId: 'after-call', version: 2, linkId: 'link-1' };
const given9: JourneyEvent = {
  type: 'FeedbackGiven',
  eventId: 'a1',
  occurredAt: at(2),
  data: { kind: 'nps', score: 9, scale: '0-10', touchpoint: 'hotline', channel: 'phone', stage: 'use', survey },
};
const in10Minutes = new Date(Date.parse(at(2)) + 10 * 60_000).toISOString();

describe('reviews and comments', () => {
  it('a review is 1-5 stars with its source and text', () => {
    given()
      .when(answer('r1', at(2), { kind: 'review', score: 2, scale: '1-5', source: 'google', touchpoint: 'store:q1', comment: 'Chờ lâu quá' }))
      .then({
        type: 'FeedbackGiven',
        eventId: 'r1',
        occurredAt: at(2),
        data: { kind: 'review', score: 2, scale: '1-5', source: 'google', touchpoint: 'store:q1', comment: 'Chờ lâu quá' },
      });
  });

  it.each([0, 6, 4.5, true])('a review of %p stars breaks feedback-score-outside-scale', (score) => {
    given()
      .when(answer('r1', at(2), { kind: 'review', score, scale: '1-5' }))
      .thenThrows('feedback-score-outside-scale');
  });

  it('a review on any scale but 1-5 breaks feedback-scale-not-allowed', () => {
    given()
      .when(answer('r1', at(2), { kind: 'review', score: 7, scale: '1-7' }))
      .thenThrows('feedback-scale-not-allowed');
  });

  it('a comment is its text alone: no score, no scale', () => {
    given()
      .when(
        answer('m1', at(2), { kind: 'comment', score: undefined, scale: undefined, comment: 'Zalo: giao hàng trễ', touchpoint: 'delivery', source: 'zalo' }),
      )
      .then({
        type: 'FeedbackGiven',
        eventId: 'm1',
        occurredAt: at(2),
        data: { kind: 'comment', comment: 'Zalo: giao hàng trễ', touchpoint: 'delivery', source: 'zalo' },
      });
  });

  it('a comment with a score breaks comment-has-no-score; one without text breaks comment-without-text', () => {
    given()
      .when(answer('m1', at(2), { kind: 'comment', score: 3, scale: '1-5', comment: 'x' }))
      .thenThrows('comment-has-no-score');
    given()
      .when(answer('m1', at(2), { kind: 'comment', score: undefined, scale: undefined, comment: '  ' }))
      .thenThrows('comment-without-text');
  });
});

describe('one answer per survey link', () => {
  it('the first answer through a link is recorded with its survey and version', () => {
    given()
      .when(answer('a1', at(2), { touchpoint: 'hotline', channel: 'phone', stage: 'use', survey }))
      .then(given9);
  });

  it('a second answer within the window replaces the first, carrying what the first counted for', () => {
    given(given9)
      .when(
        answer('a2', in10Minutes, {
          score: 3,
          comment: 'Thật ra rất chậm',
          touchpoint: 'hotline',
          channel: 'phone',
          stage: 'use',
          survey,
          replaceWithinMs: HOUR,
        }),
      )
      .then({
        type: 'FeedbackGiven',
        eventId: 'a2',
        occurredAt: in10Minutes,
        data: {
          kind: 'nps',
          score: 3,
          scale: '0-10',
          touchpoint: 'hotline',
          channel: 'phone',
          stage: 'use',
          comment: 'Thật ra rất chậm',
          survey,
          replaces: { eventId: 'a1', occurredAt: at(2), kind: 'nps', score: 9, scale: '0-10', touchpoint: 'hotline', channel: 'phone', stage: 'use' },
        },
      });
  });

  it('after the window (or with none) the link is answered: survey-link-answered', () => {
    given(given9)
      .when(answer('a2', in10Minutes, { score: 3, survey, replaceWithinMs: 5 * 60_000 }))
      .thenThrows('survey-link-answered');
    given(given9)
      .when(answer('a2', in10Minutes, { score: 3, survey }))
      .thenThrows('survey-link-answered');
  });

  it('another link of the same survey is another answer', () => {
    given(given9)
      .when(answer('b1', in10Minutes, { score: 6, survey: { ...survey, linkId: 'link-2' } }))
      .then({
        type: 'FeedbackGiven',
        eventId: 'b1',
        occurredAt: in10Minutes,
        data: { kind: 'nps', score: 6, scale: '0-10', survey: { ...survey, linkId: 'link-2' } },
      });
  });

  it('the journey lists the replacing answer only', () => {
    const replacing: JourneyEvent = {
      type: 'FeedbackGiven',
      eventId: 'a2',
      occurredAt: in10Minutes,
      data: { kind: 'nps', score: 3, scale: '0-10', survey, replaces: { eventId: 'a1', occurredAt: at(2), kind: 'nps', score: 9, scale: '0-10' } },
    };
    const journey = buildJourney(
      'c-1',
      [given9, replacing].map((e, revision) => ({ ...e, revision })),
      new Date(at(5)),
    );
    expect(journey?.feedback.map((f) => [f.eventId, f.score])).toEqual([['a2', 3]]);
  });
});
