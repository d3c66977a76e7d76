import { BadRequestException } from '@nestjs/common';

/** One thing wrong with a request: the field (a body path such as `data.score`, a query parameter, `path`, `body`) and why. */
export interface FieldProblem {
  field: string;
  reason: string;
  /** The event's place in a batch. */
  index?: number;
  eventId?: string;
  [extra: string]: unknown;
}

/**
 * The one error body every refusal has: `statusCode`, `error`, `message` (a sentence for a
 * person) and `errors` (each field and why, for a program). 4xx names what to fix; 503 comes with
 * Retry-After. Built here only; the error filter gives every other exception this shape too.
 */
export interface Problem {
  statusCode: number;
  error: string;
  message: string;
  errors: FieldProblem[];
  [extra: string]: unknown;
}

const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(statusCode: number, message: string, errors: FieldProblem[], extra: Record<string, unknown> = {}): Problem {
  return { statusCode, error: REASON_PHRASES[statusCode] ?? 'Error', message, errors, ...extra };
}

export function badRequest(field: string, reason: string): BadRequestException {
  return new BadRequestException(problem(400, reason, [{ field, reason }]));
}

/** Text a client sent, quoted back in a message: cut short, so a 5,000-character id is not echoed whole. */
export function quoted(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
