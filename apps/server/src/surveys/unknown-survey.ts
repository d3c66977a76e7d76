import { NotFoundException } from '@nestjs/common';
import { problem, quoted } from '../http/problem';

/** 404 for a survey id the catalog does not hold. */
export function unknownSurvey(surveyId: string): NotFoundException {
  const reason = `no survey ${quoted(surveyId)}: GET /api/v1/surveys lists them`;
  return new NotFoundException(problem(404, reason, [{ field: 'surveyId', reason }]));
}
