import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { touchpointIdProblem } from '@journeyline/journey';
import type { TouchpointVersion } from '@journeyline/projections';
import { Requires } from '../../access/requires.decorator';
import { badRequest, problem, quoted } from '../../http/problem';
import { GetTouchpointHistoryQuery } from './get-touchpoint-history.query';

/**
 * GET /api/v1/touchpoints/:touchpoint/history (read): every version of a registered touchpoint's
 * definition, oldest first, each with who registered it and when → `{touchpoint, items}`; 404 for
 * a touchpoint never registered.
 */
@Controller('api/v1/touchpoints')
@Requires('read')
export class GetTouchpointHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':touchpoint/history')
  async history(@Param('touchpoint') touchpoint: string): Promise<{ touchpoint: string; items: TouchpointVersion[] }> {
    const wrong = touchpointIdProblem(touchpoint);
    if (wrong) throw badRequest(wrong.field, wrong.reason);
    const items = await this.queryBus.execute(new GetTouchpointHistoryQuery(touchpoint));
    if (items.length === 0) {
      const message = `touchpoint ${quoted(touchpoint)} is not registered (PUT /api/v1/touchpoints/:touchpoint registers it)`;
      throw new NotFoundException(problem(404, message, [{ field: 'touchpoint', reason: message }]));
    }
    return { touchpoint, items };
  }
}
