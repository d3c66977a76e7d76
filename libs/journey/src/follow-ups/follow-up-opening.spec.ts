/** Which answers open a follow-up, and why replaying or revising an answer never opens one twice. */
import { answer, at, closedByReplacement, givenAnswers, opened } from '@journeyline/journey/testing/follow-up-given-when-then';

const detractor = answer('nps', 'a1', 3, at(1));

describe('follow-ups: a bad answer opens one', () => {
  it('a detractor (NPS 0-6) opens one', () => {
    givenAnswers(detractor).then(opened(detractor, 'detractor'));
  });

  it('6 is still a detractor; a passive (7-8) or a promoter opens nothing', () => {
    const six = answer('nps', 'a6', 6, at(1));
    givenAnswers(six).then(opened(six, 'detractor'));
    givenAnswers(answer('nps', 'a7', 7, at(1)), answer('nps', 'a8', 8, at(2)), answer('nps', 'a9', 10, at(3))).thenNothing();
  });

  it('a very hard CES answer (the lowest two boxes of 7 or of 5) opens one; 3 of 7 does not', () => {
    const two = answer('ces', 'c2', 2, at(1));
    const twoOfFive = answer('ces', 'c5', 2, at(2), { scale: '1-5' });
    givenAnswers(two, answer('ces', 'c3', 3, at(3)), twoOfFive).then(opened(two, 'hard-effort'), opened(twoOfFive, 'hard-effort'));
  });

  it('a 1-2 star review opens one; 3 stars does not', () => {
    const oneStar = answer('review', 'r1', 1, at(1));
    givenAnswers(oneStar, answer('review', 'r3', 3, at(2))).then(opened(oneStar, 'low-review'));
  });

  it('a low CSAT opens nothing (it is in the metrics, not a call-back)', () => {
    givenAnswers(answer('csat', 's1', 1, at(1))).thenNothing();
  });

  it('two bad answers open two follow-ups', () => {
    const second = answer('nps', 'a2', 0, at(5));
    givenAnswers(detractor, second).then(opened(detractor, 'detractor'), opened(second, 'detractor'));
  });
});

describe('follow-ups: only for answers recent enough to act on', () => {
  it('an answer given before the cut-off opens nothing; one given after it does', () => {
    const old = answer('nps', 'old', 2, at(1));
    const recent = answer('nps', 'new', 2, at(5));
    givenAnswers(old, recent).openingSince(at(3)).then(opened(recent, 'detractor'));
  });

  it('a follow-up an old answer already opened is still closed when a good answer replaces it', () => {
    const better = answer('nps', 'a2', 9, at(6), { replaces: detractor });
    givenAnswers(detractor, better).withFollowUps({ answer: detractor, resolved: false }).openingSince(at(3)).then(closedByReplacement(detractor, better));
  });

  it('an old bad answer replaced by a recent bad one: the recent one opens', () => {
    const worse = answer('nps', 'a2', 1, at(6), { replaces: detractor });
    givenAnswers(detractor, worse).openingSince(at(3)).then(opened(worse, 'detractor'));
  });
});

describe('follow-ups: replay opens nothing twice', () => {
  it('an answer whose follow-up the log already holds opens nothing', () => {
    givenAnswers(detractor).withFollowUps({ answer: detractor, resolved: false }).thenNothing();
  });

  it('nor when that follow-up was resolved: it is never reopened', () => {
    givenAnswers(detractor).withFollowUps({ answer: detractor, resolved: true }).thenNothing();
  });
});

describe('follow-ups: a replaced survey answer', () => {
  it('a good answer replacing a detractor closes its follow-up as "answer replaced"', () => {
    const better = answer('nps', 'a2', 9, at(2), { replaces: detractor });
    givenAnswers(detractor, better).withFollowUps({ answer: detractor, resolved: false }).then(closedByReplacement(detractor, better));
  });

  it('decided in one go: opened, then closed', () => {
    const better = answer('nps', 'a2', 8, at(2), { replaces: detractor });
    givenAnswers(detractor, better).then(opened(detractor, 'detractor'), closedByReplacement(detractor, better));
  });

  it('closed once: a follow-up already resolved (by a person or before) is left as it is', () => {
    const better = answer('nps', 'a2', 9, at(2), { replaces: detractor });
    givenAnswers(detractor, better).withFollowUps({ answer: detractor, resolved: true }).thenNothing();
  });

  it('a bad answer replacing a bad one keeps the one follow-up, whatever its state', () => {
    const stillBad = answer('nps', 'a2', 2, at(2), { replaces: detractor });
    givenAnswers(detractor, stillBad).withFollowUps({ answer: detractor, resolved: false }).thenNothing();
    givenAnswers(detractor, stillBad).withFollowUps({ answer: detractor, resolved: true }).thenNothing();
  });

  it('bad, then good, then bad again: the last answer opens a follow-up of its own', () => {
    const good = answer('nps', 'a2', 9, at(2), { replaces: detractor });
    const badAgain = answer('nps', 'a3', 4, at(3), { replaces: good });
    givenAnswers(detractor, good, badAgain).then(opened(detractor, 'detractor'), closedByReplacement(detractor, good), opened(badAgain, 'detractor'));
  });

  it('a bad answer replacing a good one opens a follow-up', () => {
    const good = answer('nps', 'a1', 10, at(1));
    const bad = answer('nps', 'a2', 1, at(2), { replaces: good });
    givenAnswers(good, bad).then(opened(bad, 'detractor'));
  });
});
