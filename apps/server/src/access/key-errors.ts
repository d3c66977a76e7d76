import { BadRequestException, NotFoundException } from '@nestjs/common';
import { KeyInputError, UnknownKeyError } from '@journeyline/access';
import { problem } from '../http/problem';

/** The registry's refusals as the API's: a bad name or scope is a 400, an unknown key id a 404. */
export async function keyRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof KeyInputError) throw new BadRequestException(problem(400, error.reason, [{ field: error.field, reason: error.reason }]));
    if (error instanceof UnknownKeyError) throw new NotFoundException(problem(404, error.message, [{ field: 'id', reason: 'unknown key id' }]));
    throw error;
  }
}
