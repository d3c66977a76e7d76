import { Query } from '@nestjs/cqrs';
import type { getFollowUp } from '@journeyline/projections';

export class GetFollowUpQuery extends Query<Awaited<ReturnType<typeof getFollowUp>>> {
  constructor(readonly followUpId: string) {
    super();
  }
}
