import { Query } from '@nestjs/cqrs';
import type { Target } from '@journeyline/journey';

/** Every target in force. */
export class ListTargetsQuery extends Query<{ items: Target[] }> {}
