import * as fs from 'node:fs';
import type { Provider } from '@nestjs/common';
import { churnRulesFormatOf, DEFAULT_CHURN_RULES, parseChurnRules, type ChurnRule } from '@journeyline/journey';
import { ConfigError, JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';

export const CHURN_RULES = Symbol('CHURN_RULES');

/** The churn-risk rules, read and validated once at start: a bad file stops start-up. */
export const churnRulesProvider: Provider = {
  provide: CHURN_RULES,
  inject: [JOURNEYLINE_CONFIG],
  useFactory: (config: JourneylineConfig): readonly ChurnRule[] => loadChurnRules(config.churnRulesFile),
};

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
