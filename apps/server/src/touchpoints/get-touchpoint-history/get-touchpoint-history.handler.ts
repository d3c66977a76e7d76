import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TouchpointRegistry, type TouchpointVersion } from '@journeyline/projections';
import { GetTouchpointHistoryQuery } from './get-touchpoint-history.query';

/** From the catalog's own stream (a few events per touchpoint), so a version is listed as soon as it is recorded. */
@QueryHandler(GetTouchpointHistoryQuery)
export class GetTouchpointHistoryHandler implements IQueryHandler<GetTouchpointHistoryQuery, TouchpointVersion[]> {
  constructor(private readonly registry: TouchpointRegistry) {}

  execute({ touchpoint }: GetTouchpointHistoryQuery): Promise<TouchpointVersion[]> {
    return this.registry.history(touchpoint);
  }
}
