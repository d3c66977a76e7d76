import type { ChurnRule } from '@journeyline/journey/churn-risk/churn-rules';
import { decideChurnRisk, type ChurnRiskEvent } from '@journeyline/journey/churn-risk/churn-risk-decider';
import { traceChurnRisk } from '@journeyline/journey/churn-risk/churn-risk-evaluator';
import type { JourneyEvent } from '@journeyline/journey/journey-events';
import {
  churnRuleRevisions,
  decideChurnRules,
  evolveChurnRules,
  initialChurnRulesState,
  type ChurnRulesChanged,
  type ChurnRulesCommand,
} from '@journeyline/journey/definitions/churn-rules-versions';
import {
  decideMetricDefinitions,
  evolveMetricDefinitions,
  initialMetricDefinitionsState,
  type ConfiguredMetricSettings,
  type MetricDefinitionsChanged,
  type MetricDefinitionsCommand,
} from '@journeyline/journey/definitions/metric-definitions-decider';
import { defaultMetricParameters, type MetricParameters } from '@journeyline/journey/definitions/metric-parameters';
import { CUSTOMER } from './churn-risk-fixtures';

/** given(versions).when(command).then(versions recorded) for both versioned definitions. */
function scenario<E, C>(decide: (command: C, history: readonly E[]) => E[]) {
  return (...history: E[]) => ({
    when(command: C) {
      const run = () => decide(command, history);
      return {
        then(...expected: E[]) {
          expect(run()).toEqual(expected);
        },
        thenNothing() {
          expect(run()).toEqual([]);
        },
        /** The rule broken and the fields named. */
        thenThrows(rule: string, ...fields: string[]) {
          expect(run).toThrow(expect.objectContaining({ name: 'DefinitionsRuleViolation', rule }));
          if (fields.length > 0) {
            try {
              run();
            } catch (error) {
              expect((error as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(fields);
            }
          }
        },
      };
    },
  });
}

export const givenMetricDefinitions = scenario<MetricDefinitionsChanged, MetricDefinitionsCommand>((command, history) =>
  decideMetricDefinitions(command, history.reduce(evolveMetricDefinitions, initialMetricDefinitionsState())),
);

export const givenChurnRules = scenario<ChurnRulesChanged, ChurnRulesCommand>((command, history) =>
  decideChurnRules(command, history.reduce(evolveChurnRules, initialChurnRulesState())),
);

export const HCM: ConfiguredMetricSettings = { minSample: 30, timeZone: 'Asia/Ho_Chi_Minh' };

/** Version `version` of the metric parameters, today's behaviour changed by `changes`. */
export const definitions = (
  version: number,
  changes: Partial<MetricParameters> = {},
  source: 'configuration' | 'api' = version === 1 ? 'configuration' : 'api',
  configured: ConfiguredMetricSettings = HCM,
  changedBy = source === 'api' ? 'admin' : 'configuration',
): MetricDefinitionsChanged => ({
  version,
  parameters: { ...defaultMetricParameters(configured.minSample, configured.timeZone), ...changes },
  source,
  changedBy,
  configured,
});

export const configure = (configured: ConfiguredMetricSettings = HCM): MetricDefinitionsCommand => ({
  type: 'RecordConfiguredMetricDefinitions',
  configured,
  changedBy: 'configuration',
});

export const change = (parameters: unknown, configured: ConfiguredMetricSettings = HCM): MetricDefinitionsCommand => ({
  type: 'ChangeMetricDefinitions',
  parameters,
  changedBy: 'admin',
  configured,
});

export const rulesVersion = (
  version: number,
  rules: ChurnRule[],
  source: 'configuration' | 'api' = version === 1 ? 'configuration' : 'api',
  configured: ChurnRule[] = rules,
): ChurnRulesChanged => ({ version, rules, source, changedBy: source === 'api' ? 'admin' : 'configuration', configured });

/**
 * given(a customer's history).whenEvaluatedAt(now, the rules versions recorded).then(flags and
 * clears): the churn rules as the latest version says them, each event naming that version.
 */
export function givenHistory(...history: JourneyEvent[]) {
  return {
    whenEvaluatedAt(now: string, versions: readonly ChurnRulesChanged[]) {
      const inForce = versions[versions.length - 1];
      const run = () =>
        decideChurnRisk(CUSTOMER, history, traceChurnRisk(history, inForce.rules, new Date(now)), {
          version: inForce.version,
          revisions: churnRuleRevisions(versions),
        });
      return {
        then(...expected: ChurnRiskEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenNothing() {
          expect(run()).toEqual([]);
        },
      };
    },
  };
}
