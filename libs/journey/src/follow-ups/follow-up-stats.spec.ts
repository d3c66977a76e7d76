/** Follow-up rate, time to follow up and "next answer improved", worked by hand. */
import { at } from '@journeyline/journey/testing/follow-up-given-when-then';
import { followUpStats, type FollowUpFacts } from './follow-up-stats';

const facts = (openedHour: number, resolvedHour: number | null, score: number, next: [number | null, number | null] = [null, null]): FollowUpFacts => ({
  openedAt: at(openedHour),
  resolvedAt: resolvedHour === null ? null : at(resolvedHour),
  resolvedBy: resolvedHour === null ? null : 'lan',
  outcome: resolvedHour === null ? null : 'called back',
  score,
  nextScoreSameTouchpoint: next[0],
  nextScoreAnywhere: next[1],
});

describe('follow-up stats', () => {
  it('rate, median and p90 by nearest rank, next answer improved', () => {
    const stats = followUpStats([
      facts(0, 2, 3, [8, 8]), // 2 h, improved
      facts(0, 4, 5, [null, 4]), // 4 h, worse elsewhere
      facts(0, 10, 2, [2, 2]), // 10 h, same
      facts(1, null, 1), // still open
      { ...facts(0, 1, 4), resolvedBy: 'journeyline', outcome: 'answer replaced' }, // withdrawn
    ]);
    expect(stats).toEqual({
      opened: 4,
      resolved: 3,
      withdrawn: 1,
      followUpRate: 75,
      medianHoursToFollowUp: 4,
      p90HoursToFollowUp: 10,
      nextAnswer: {
        sameTouchpoint: { answeredAgain: 2, improved: 1, improvedRate: 50 },
        anyTouchpoint: { answeredAgain: 3, improved: 1, improvedRate: 33.33 },
      },
    });
  });

  it('nothing opened: rates and times are null, not zero', () => {
    expect(followUpStats([])).toMatchObject({ opened: 0, followUpRate: null, medianHoursToFollowUp: null, p90HoursToFollowUp: null });
  });
});
