import * as fs from 'node:fs';
import { churnRulesFormatOf, DEFAULT_CHURN_RULES, parseChurnRules, type ChurnRule } from '@journeyline/journey';
import { ConfigError } from '../config/journeyline-config';

/** The churn-risk rules: the built-in ones, or JOURNEYLINE_CHURN_RULES read and validated once (a bad file stops start-up). */
export function loadChurnRules(file: string | null): readonly ChurnRule[] {
  if (!file) return DEFAULT_CHURN_RULES;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('JOURNEYLINE_CHURN_RULES', `names ${file}, which cannot be read: ${(error as Error).message}`);
  }
  try {
    return parseChurnRules(text, churnRulesFormatOf(file));
  } catch (error) {
    throw new ConfigError('JOURNEYLINE_CHURN_RULES', `file ${file} is invalid: ${(error as Error).message}`);
  }
}
