import { NotFoundException } from '@nestjs/common';
import { problem, quoted } from '../http/problem';

export function unknownFollowUp(followUpId: string): NotFoundException {
  return new NotFoundException(problem(404, `there is no follow-up ${quoted(followUpId)}`, [{ field: 'id', reason: 'no such follow-up' }]));
}
