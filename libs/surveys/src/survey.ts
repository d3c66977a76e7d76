import { SCALES_BY_KIND, STAGES, type Scale, type Stage } from '@journeyline/journey';

/**
 * A survey as data: the metric it measures and on which scale, the question and its follow-up in
 * Vietnamese and English, the touchpoint, channel and stage it measures, an optional thank-you
 * text. Every change is a new version; an answer names the version whose wording it answered.
 */
export const SURVEY_METRICS = ['nps', 'csat', 'ces'] as const;
export type SurveyMetric = (typeof SURVEY_METRICS)[number];

export interface Texts {
  vi: string;
  en: string;
}

export interface SurveyDefinition {
  surveyId: string;
  metric: SurveyMetric;
  scale: Scale;
  touchpoint: string;
  channel: string;
  stage: Stage;
  question: Texts;
  followUp: Texts | null;
  thanks: Texts | null;
}

export interface Survey extends SurveyDefinition {
  version: number;
  definedAt: string;
}

/** The default scale of each metric: NPS 0-10, CSAT 1-5, CES 1-7. */
export const DEFAULT_SCALES: Record<SurveyMetric, Scale> = { nps: '0-10', csat: '1-5', ces: '1-7' };

export interface SurveyIssue {
  field: string;
  reason: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$/;

/** The definition a request asks for, checked field by field (own properties only); the first issues found. */
export function checkSurvey(input: Record<string, unknown>, surveyId: string): { survey: SurveyDefinition } | { issues: SurveyIssue[] } {
  const issues: SurveyIssue[] = [];
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined);
  if (!ID.test(surveyId)) issues.push({ field: 'surveyId', reason: 'surveyId is 1-80 letters, digits and _ . : - (starting with a letter or digit)' });
  const metric = own('metric');
  if (!(SURVEY_METRICS as readonly unknown[]).includes(metric)) issues.push({ field: 'metric', reason: `metric must be one of ${SURVEY_METRICS.join(', ')}` });
  const kind = metric as SurveyMetric;
  const scale = own('scale') ?? (issues.length === 0 ? DEFAULT_SCALES[kind] : undefined);
  if (issues.length === 0 && !SCALES_BY_KIND[kind].includes(scale as Scale)) {
    issues.push({ field: 'scale', reason: `${kind} is asked on ${SCALES_BY_KIND[kind].join(', ')}` });
  }
  const name = (field: string) => {
    const value = own(field);
    if (typeof value !== 'string' || value.trim() === '' || value.length > 200 || /[\u0000-\u001f\u007f]/.test(value)) {
      issues.push({ field, reason: `${field} must be a text of 1 to 200 characters without control characters` });
    }
    return value as string;
  };
  const touchpoint = name('touchpoint');
  const channel = name('channel');
  const stage = own('stage');
  if (!(STAGES as readonly unknown[]).includes(stage)) issues.push({ field: 'stage', reason: `stage must be one of ${STAGES.join(', ')}` });
  const texts = (field: string, required: boolean): Texts | null => {
    const value = own(field);
    if (value === undefined && !required) return null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ field, reason: `${field} must be {"vi": "...", "en": "..."}` });
      return null;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (key !== 'vi' && key !== 'en') issues.push({ field: `${field}.${key}`, reason: `${field} holds vi and en only` });
    for (const lang of ['vi', 'en'] as const) {
      const text = Object.prototype.hasOwnProperty.call(record, lang) ? record[lang] : undefined;
      if (typeof text !== 'string' || text.trim() === '' || text.length > 1000)
        issues.push({ field: `${field}.${lang}`, reason: `${field}.${lang} must be a text of 1 to 1,000 characters` });
    }
    return { vi: record.vi as string, en: record.en as string };
  };
  const question = texts('question', true);
  const followUp = texts('followUp', false);
  const thanks = texts('thanks', false);
  for (const key of Object.keys(input)) {
    if (!['surveyId', 'metric', 'scale', 'touchpoint', 'channel', 'stage', 'question', 'followUp', 'thanks'].includes(key)) {
      issues.push({ field: key, reason: `unknown field ${key}` });
    }
  }
  if (issues.length > 0) return { issues };
  return { survey: { surveyId, metric: kind, scale: scale as Scale, touchpoint, channel, stage: stage as Stage, question: question!, followUp, thanks } };
}
