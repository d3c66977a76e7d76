import type { JourneyEvent } from '@journeyline/journey';
import { emptySummary, extendsFold, foldFact, foldsInAnyOrder, foldUnordered, refold, serializeSummary, type Fact } from './journey-summary';

const fact = (revision: number, type: string, occurredAt: string, data: Record<string, unknown>): Fact => ({
  revision,
  event: { type, eventId: `e${revision}`, occurredAt, data } as unknown as JourneyEvent,
});

const visit = fact(0, 'TouchpointVisited', '2026-05-10T09:00:00Z', { touchpoint: 'zalo-oa', channel: 'social', stage: 'awareness' });
const purchase = fact(1, 'PurchaseMade', '2026-05-20T09:00:00Z', { amount: 100 });
// The churn-risk process dates flags when their condition began: before the purchase above.
const flagB = fact(2, 'ChurnRiskFlagged', '2026-05-15T00:00:00Z', { episodeId: 'churn-risk:c-1:b', rule: 'b', reason: 'b', evidence: ['e0'] });
const flagA = fact(3, 'ChurnRiskFlagged', '2026-05-12T00:00:00Z', { episodeId: 'churn-risk:c-1:a', rule: 'a', reason: 'a', evidence: ['e0'] });
const clearB = fact(4, 'ChurnRiskCleared', '2026-05-18T00:00:00Z', { episodeId: 'churn-risk:c-1:b', reason: 'used again' });

/** Folds facts in arrival order the way the journey map does: in order, any-order facts anywhere. */
function foldArriving(facts: Fact[]) {
  const summary = emptySummary();
  for (const f of facts) {
    if (extendsFold(summary, f)) foldFact(summary, f);
    else if (foldsInAnyOrder(f)) foldUnordered(summary, f);
    else throw new Error('late fact: the journey map would refold');
  }
  return summary;
}

describe('journey summary: churn-risk flags fold in any order', () => {
  it('given flags dated before later events, when they arrive after them, then the summary is byte for byte the refold by time', () => {
    const arriving = [visit, purchase, flagB, flagA, clearB];
    expect(serializeSummary(foldArriving(arriving))).toBe(serializeSummary(refold(arriving)));
    expect(foldArriving(arriving).churnRisks).toEqual({ 'churn-risk:c-1:a': 'a' });
  });

  it('given two open flags, when they arrive in either order, then the stored summary is the same bytes', () => {
    const one = foldArriving([visit, purchase, flagB, flagA]);
    const other = foldArriving([visit, purchase, { ...flagA, revision: 2 }, { ...flagB, revision: 3 }]);
    expect(Object.keys(JSON.parse(serializeSummary(one)).churnRisks)).toEqual(['churn-risk:c-1:a', 'churn-risk:c-1:b']);
    expect(serializeSummary(one)).toBe(serializeSummary(other));
    expect(serializeSummary(one)).toBe(serializeSummary(refold([visit, purchase, flagB, flagA])));
  });
});
