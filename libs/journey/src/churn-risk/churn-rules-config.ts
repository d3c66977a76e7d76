import { parse as parseYaml } from 'yaml';
import { CHURN_RULE_KINDS, CHURN_RULE_PARAMETERS, type ChurnRule, type ChurnRuleKind, type ChurnRuleLabels } from './churn-rules';

/**
 * The rules file is validated once, at start, and every problem is reported at once with the
 * path of the field (`rules[1].days must be a whole number ≥ 1`): an operator fixing a file should
 * not need one restart per typo. Unknown fields are errors too, because a misspelt parameter
 * (`day: 7`) would otherwise silently fall back to its default.
 *
 * Accepted shapes: `{ "rules": [ ... ] }` or a bare list of rules. A parameter left out takes its
 * default; an empty list turns churn-risk flags off.
 */
export type ChurnRulesFormat = 'json' | 'yaml';

export class ChurnRulesConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`churn rules are invalid: ${issues.join('; ')}`);
    this.name = 'ChurnRulesConfigError';
  }
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const COMMON_FIELDS = ['id', 'kind', 'labels', 'severity'];

/** The four rules with their default parameters; each rule's id is its kind. */
export const DEFAULT_CHURN_RULES: readonly ChurnRule[] = CHURN_RULE_KINDS.map((kind) => ({ id: kind, kind, ...CHURN_RULE_PARAMETERS[kind] }) as ChurnRule);

/** The format a rules file is written in, from its name. */
export function churnRulesFormatOf(fileName: string): ChurnRulesFormat {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  throw new ChurnRulesConfigError([`${fileName}: a churn rules file ends in .json, .yaml or .yml`]);
}

export function parseChurnRules(text: string, format: ChurnRulesFormat): ChurnRule[] {
  let document: unknown;
  try {
    document = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ChurnRulesConfigError([`not valid ${format.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return validateChurnRules(document);
}

/** Checks an already parsed document (e.g. from a larger configuration object). */
export function validateChurnRules(document: unknown): ChurnRule[] {
  const issues: string[] = [];
  let list: unknown;
  if (Array.isArray(document)) list = document;
  else if (isObject(document)) {
    for (const key of Object.keys(document)) if (key !== 'rules') issues.push(`${key} is not a field of the rules file (expected: rules)`);
    list = document.rules;
  }
  if (!Array.isArray(list)) throw new ChurnRulesConfigError([...issues, 'rules must be a list of rules']);

  const rules: ChurnRule[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const rule = validateRule(entry, `rules[${index}]`, issues);
    if (rule) rules.push(rule);
    const id = isObject(entry) && typeof entry.id === 'string' ? entry.id : null;
    if (id === null) return;
    const first = seen.get(id);
    if (first !== undefined) issues.push(`rules[${index}].id "${id}" is already used by rules[${first}]; rule ids must be unique`);
    else seen.set(id, index);
  });
  if (issues.length > 0) throw new ChurnRulesConfigError(issues);
  return rules;
}

function validateRule(entry: unknown, at: string, issues: string[]): ChurnRule | null {
  if (!isObject(entry)) {
    issues.push(`${at} must be an object with id and kind`);
    return null;
  }
  const before = issues.length;
  const { id, kind } = entry;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) issues.push(`${at}.id must be a kebab-case name such as "ticket-open-too-long"`);
  if (typeof kind !== 'string' || !(CHURN_RULE_KINDS as readonly string[]).includes(kind)) {
    issues.push(`${at}.kind must be one of ${CHURN_RULE_KINDS.join(', ')}`);
    return null;
  }
  const defaults = CHURN_RULE_PARAMETERS[kind as ChurnRuleKind];
  const known = [...COMMON_FIELDS, ...Object.keys(defaults)];
  for (const key of Object.keys(entry)) {
    if (!known.includes(key)) issues.push(`${at}.${key} is not a field of ${kind} rules (fields: ${known.join(', ')})`);
  }
  const parameters: Record<string, number> = {};
  for (const [name, fallback] of Object.entries(defaults)) {
    const value = entry[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) issues.push(`${at}.${name} must be a whole number ≥ 1`);
    else parameters[name] = value;
  }
  const labels = validateLabels(entry.labels, `${at}.labels`, issues);
  const severity = entry.severity;
  if (severity !== undefined && (typeof severity !== 'number' || !Number.isFinite(severity) || severity <= 0 || severity > 1000))
    issues.push(`${at}.severity must be a number > 0 and ≤ 1000`);
  if (issues.length > before) return null;
  return { id: id as string, kind, ...parameters, ...(labels ? { labels } : {}), ...(severity !== undefined ? { severity } : {}) } as ChurnRule;
}

function validateLabels(value: unknown, at: string, issues: string[]): ChurnRuleLabels | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    issues.push(`${at} must be an object with en and vi texts`);
    return undefined;
  }
  for (const key of Object.keys(value)) if (key !== 'en' && key !== 'vi') issues.push(`${at}.${key} is not a language (en, vi)`);
  for (const language of ['en', 'vi'] as const) {
    const text = value[language];
    if (typeof text !== 'string' || text.trim() === '') issues.push(`${at}.${language} must be a non-empty text`);
  }
  return value as unknown as ChurnRuleLabels;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
