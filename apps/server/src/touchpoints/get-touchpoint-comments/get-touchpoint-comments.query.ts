import { Query } from '@nestjs/cqrs';
import type { SqlExecutor, TouchpointComment } from '@journeyline/projections';

/** The latest comments given at a touchpoint in [from, to). */
export class GetTouchpointCommentsQuery extends Query<TouchpointComment[]> {
  constructor(
    readonly touchpoint: string,
    readonly from: Date,
    readonly to: Date,
    readonly limit: number,
    /** The journey map's comments as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
