import { Query } from '@nestjs/cqrs';
import type { TouchpointVersion } from '@journeyline/projections';

/** Every version of one touchpoint's definition, oldest first (empty: never registered). */
export class GetTouchpointHistoryQuery extends Query<TouchpointVersion[]> {
  constructor(readonly touchpoint: string) {
    super();
  }
}
