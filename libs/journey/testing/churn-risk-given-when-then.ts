import type { JourneyEvent } from '@journeyline/journey/journey-events';
import type { ChurnRule } from '@journeyline/journey/churn-risk/churn-rules';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey/churn-risk/churn-rules-config';
import { decideChurnRisk, type ChurnRiskEvent } from '@journeyline/journey/churn-risk/churn-risk-decider';
import { traceChurnRisk } from '@journeyline/journey/churn-risk/churn-risk-evaluator';
import { CUSTOMER } from './churn-risk-fixtures';

/**
 * given(history).whenEvaluatedAt(now).then(flags and clears): the churn rules read as the business
 * states them. The history includes earlier flags and clears, exactly as the stream holds them.
 */
export function given(...history: JourneyEvent[]) {
  return {
    whenEvaluatedAt(now: string, rules: readonly ChurnRule[] = DEFAULT_CHURN_RULES) {
      const run = () => decideChurnRisk(CUSTOMER, history, traceChurnRisk(history, rules, new Date(now)));
      return {
        then(...expected: ChurnRiskEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenNothing() {
          expect(run()).toEqual([]);
        },
        /** The decided events, for specs that feed them back into the history. */
        decided: run,
      };
    },
  };
}
