import type { ChurnRulesVersion, MetricDefinitionsVersion } from '@journeyline/projections';

/** One version of the metric parameters as the API lists it. */
export interface MetricDefinitionsEntry {
  version: number;
  parameters: MetricDefinitionsVersion['parameters'];
  source: MetricDefinitionsVersion['source'];
  changedBy: string;
  recordedAt: string;
}

/** One version of the churn-risk rules as the API lists it. */
export interface ChurnRulesEntry {
  version: number;
  rules: ChurnRulesVersion['rules'];
  source: ChurnRulesVersion['source'];
  changedBy: string;
  recordedAt: string;
}

export function metricDefinitionsEntry({ version, parameters, source, changedBy, recordedAt }: MetricDefinitionsVersion): MetricDefinitionsEntry {
  return { version, parameters, source, changedBy, recordedAt };
}

export function churnRulesEntry({ version, rules, source, changedBy, recordedAt }: ChurnRulesVersion): ChurnRulesEntry {
  return { version, rules, source, changedBy, recordedAt };
}
