import { badRequest } from '../../http/problem';
import type { FollowUpChange } from './update-follow-up.command';

const LIMITS = { assignee: 200, note: 4000, outcome: 4000 };

/**
 * The PATCH body, checked by hand rather than by class-validator: it nests (`resolve.outcome`),
 * and the one error body must name the nested field, which the global pipe does not. Unknown
 * fields are refused, as everywhere (forbidNonWhitelisted).
 */
export function followUpChangeOf(body: unknown): FollowUpChange {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('body', 'the body must be {"assignee"}, {"note"} or {"resolve": {"outcome"}} (or several of them)');
  const raw = body as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!['assignee', 'note', 'resolve'].includes(key)) throw badRequest(key, `unknown parameter ${key}`);
  const change: FollowUpChange = {};
  if (raw.assignee !== undefined) change.assignee = text(raw.assignee, 'assignee', LIMITS.assignee);
  if (raw.note !== undefined) change.note = text(raw.note, 'note', LIMITS.note);
  if (raw.resolve !== undefined) {
    const resolve = raw.resolve;
    if (typeof resolve !== 'object' || resolve === null || Array.isArray(resolve)) throw badRequest('resolve', 'resolve must be {"outcome": "what was done"}');
    for (const key of Object.keys(resolve)) if (key !== 'outcome') throw badRequest(`resolve.${key}`, `unknown parameter resolve.${key}`);
    change.resolve = { outcome: text((resolve as Record<string, unknown>).outcome, 'resolve.outcome', LIMITS.outcome) };
  }
  if (Object.keys(change).length === 0) throw badRequest('body', 'say what to change: {"assignee"}, {"note"} or {"resolve": {"outcome"}}');
  return change;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(field, `${field} must be a non-empty string`);
  if (value.length > max) throw badRequest(field, `${field} must be at most ${max} characters`);
  return value.trim();
}
