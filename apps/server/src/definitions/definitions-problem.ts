import { BadRequestException, ConflictException } from '@nestjs/common';
import { DefinitionsRuleViolation } from '@journeyline/journey';
import { problem } from '../http/problem';

/**
 * A refused change of definitions as the one error body: 400 naming each bad field, 409 for a
 * time zone the day buckets are not in (or a change before any version, which a start records).
 */
export function definitionsProblem(error: unknown, what: string): unknown {
  if (!(error instanceof DefinitionsRuleViolation)) return error;
  const errors = error.issues.map((issue) => ({ field: issue.field, reason: issue.reason, rule: error.rule }));
  if (error.rule === 'definitions-invalid') return new BadRequestException(problem(400, `the ${what} are invalid: ${error.message}`, errors));
  return new ConflictException(problem(409, error.message, errors));
}
