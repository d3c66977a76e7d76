import { ChurnRulesConfigError, validateChurnRules } from '../churn-risk/churn-rules-config';
import type { ChurnRule } from '../churn-risk/churn-rules';
import { DefinitionsRuleViolation, type DefinitionIssue } from './definitions-errors';

/**
 * The churn-risk rules as a versioned stream of their own (`definitions-churn-rules`): each set
 * of rules in force is a `ChurnRulesChanged` with the next version number, so every flag names
 * the version that raised it and any version can be evaluated again on today's data.
 *
 * The configuration (JOURNEYLINE_CHURN_RULES, or the built-in rules) is version 1 and is recorded
 * again at start only when it changed since the last version (each version keeps the
 * configuration of the process that recorded it): an admin's change survives restarts, an edited
 * file still takes effect. A change to the same rules records nothing.
 */
export const CHURN_RULES_STREAM = 'definitions-churn-rules';
export const CHURN_RULES_CHANGED = 'ChurnRulesChanged';

export interface ChurnRulesChanged {
  version: number;
  rules: ChurnRule[];
  /** `configuration`: recorded at start from the rules file (or the built-in rules); `api`: an admin's request. */
  source: 'configuration' | 'api';
  changedBy: string;
  /** The rules the recording process's configuration held. */
  configured: ChurnRule[];
}

export interface ChurnRulesState {
  /** Every version, oldest first. */
  versions: readonly ChurnRulesChanged[];
}

export type ChurnRulesCommand =
  | { type: 'ChangeChurnRules'; rules: unknown; changedBy: string; configured: readonly ChurnRule[] }
  | { type: 'RecordConfiguredChurnRules'; configured: readonly ChurnRule[]; changedBy: string };

export const initialChurnRulesState = (): ChurnRulesState => ({ versions: [] });

export function evolveChurnRules(state: ChurnRulesState, event: ChurnRulesChanged): ChurnRulesState {
  return { versions: [...state.versions, event] };
}

export function decideChurnRules(command: ChurnRulesCommand, state: ChurnRulesState): ChurnRulesChanged[] {
  const current = state.versions[state.versions.length - 1] ?? null;
  const configured = [...command.configured];
  if (command.type === 'RecordConfiguredChurnRules') {
    if (current === null) return [{ version: 1, rules: configured, source: 'configuration', changedBy: command.changedBy, configured }];
    if (stableJson(current.configured) === stableJson(configured) || stableJson(current.rules) === stableJson(configured)) return [];
    return [{ version: current.version + 1, rules: configured, source: 'configuration', changedBy: command.changedBy, configured }];
  }
  if (current === null) {
    throw new DefinitionsRuleViolation('definitions-not-recorded', [{ field: 'version', reason: 'no version of the churn-risk rules is recorded yet' }]);
  }
  let rules: ChurnRule[];
  try {
    rules = validateChurnRules(command.rules);
  } catch (error) {
    if (error instanceof ChurnRulesConfigError) throw new DefinitionsRuleViolation('definitions-invalid', error.issues.map(issueOf));
    throw error;
  }
  if (stableJson(rules) === stableJson(current.rules)) return [];
  return [{ version: current.version + 1, rules, source: 'api', changedBy: command.changedBy, configured }];
}

/** "rules[1].days must be a whole number ≥ 1" → field `rules[1].days`, the whole sentence as the reason. */
function issueOf(issue: string): DefinitionIssue {
  const field = issue.split(/\s/, 1)[0] || 'rules';
  return { field: field.slice(0, 100), reason: issue };
}

/**
 * For each rule id, the versions at which it took a new definition (first appearing, coming back
 * after removal, or with other parameters), oldest first: the last is the revision in force. Labels
 * and severity are presentation, not a new definition (they never raise or clear a flag).
 */
export function churnRuleRevisions(versions: readonly ChurnRulesChanged[]): Map<string, number[]> {
  const revisions = new Map<string, number[]>();
  let previous = new Map<string, string>();
  for (const { version, rules } of versions) {
    const definitions = new Map(rules.map((rule) => [rule.id, evaluatedDefinition(rule)]));
    for (const [id, definition] of definitions) {
      if (previous.get(id) === definition) continue;
      revisions.set(id, [...(revisions.get(id) ?? []), version]);
    }
    previous = definitions;
  }
  return revisions;
}

function evaluatedDefinition(rule: ChurnRule): string {
  const { labels: _labels, severity: _severity, ...definition } = rule;
  return stableJson(definition);
}

/** A stored `ChurnRulesChanged`'s data read back (its rules checked again); null when it is not one. */
export function readChurnRulesChanged(data: unknown): ChurnRulesChanged | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const get = (key: string) => (Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined);
  const version = get('version');
  const source = get('source');
  const changedBy = get('changedBy');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return null;
  if ((source !== 'configuration' && source !== 'api') || typeof changedBy !== 'string') return null;
  try {
    return { version, rules: validateChurnRules(get('rules')), source, changedBy, configured: validateChurnRules(get('configured')) };
  } catch {
    return null;
  }
}

/** JSON with sorted keys: the same rules always read the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
